/// Dates and times as RFC 3339 writes them, which TOML takes four ways: offset date-time
/// (`1979-05-27T07:32:00Z`), local date-time, local date and local time. Each field is checked
/// against the calendar (leap years included); the value itself is not kept, since no key of the
/// configuration takes one: only its kind, for the message that says so.
extension TOMLParser {
    /// Whether the value at the cursor starts like a date (`1979-`) or a time (`07:`) rather
    /// than a number.
    func startsDateOrTime() -> Bool {
        let digits = { (count: Int) in (0..<count).allSatisfy { scanner.peek($0).map(Self.isDigit) ?? false } }
        return (digits(4) && scanner.peek(4) == UInt8(ascii: "-"))
            || (digits(2) && scanner.peek(2) == UInt8(ascii: ":"))
    }

    mutating func parseDateOrTime() throws(TOMLSyntaxError) -> TOMLNode {
        guard scanner.peek(2) != UInt8(ascii: ":") else {
            try parseTime()
            return .dateOrTime(kind: "a time")
        }
        try parseDate()
        if scanner.isAt("T") || scanner.isAt("t") {
            scanner.index += 1
            try parseTime(after: "'T'")
        } else if scanner.isAt(" "), let next = scanner.peek(1), Self.isDigit(next) {
            // A space may stand for 'T', but only when a time follows: `1979-05-27 # note`.
            scanner.index += 1
            try parseTime(after: "the date")
        } else {
            return .dateOrTime(kind: "a date")
        }
        try parseOffset()
        return .dateOrTime(kind: "a date-time")
    }

    /// `YYYY-MM-DD`, a real day of the calendar.
    private mutating func parseDate() throws(TOMLSyntaxError) {
        let year = try parseField(digits: 4, "a four-digit year")
        try scanner.expect("-", "'-' after the year")
        let monthStart = scanner.index
        let month = try parseField(digits: 2, "a two-digit month")
        guard (1...12).contains(month) else {
            throw fieldError(at: monthStart, "month", expected: "a month from 01 to 12")
        }
        try scanner.expect("-", "'-' after the month")
        let dayStart = scanner.index
        let day = try parseField(digits: 2, "a two-digit day")
        let days = Self.daysIn(month: month, year: year)
        guard (1...days).contains(day) else {
            throw fieldError(
                at: dayStart, "day", expected: "a day from 01 to \(days) in \(Self.monthName(month)) \(year)")
        }
    }

    /// `HH:MM:SS` with an optional fraction of a second. `after` names what the time follows in a
    /// date-time, for the error when its hour is missing.
    private mutating func parseTime(after: String? = nil) throws(TOMLSyntaxError) {
        try parseBoundedField("hour", article: "an", after: after, maximum: 23)
        try scanner.expect(":", "':' after the hour")
        try parseBoundedField("minute", article: "a", maximum: 59)
        try scanner.expect(":", "':' and the seconds (TOML 1.0 times have seconds)")
        // 60: the leap second RFC 3339 allows.
        try parseBoundedField("second", article: "a", maximum: 60)
        if scanner.skip(".") {
            guard let first = scanner.current, Self.isDigit(first) else {
                throw scanner.error(expected: "digits of a fraction of a second after '.'")
            }
            while let byte = scanner.current, Self.isDigit(byte) { scanner.index += 1 }
        }
    }

    /// `Z`, `+HH:MM` or `-HH:MM` after a date-time, or nothing for a local one.
    private mutating func parseOffset() throws(TOMLSyntaxError) {
        if scanner.skip("Z") || scanner.skip("z") { return }
        guard scanner.skip("+") || scanner.skip("-") else { return }
        try parseBoundedField("offset hour", article: "an", maximum: 23)
        try scanner.expect(":", "':' after the offset's hour")
        try parseBoundedField("offset minute", article: "an", maximum: 59)
    }

    /// Two digits for `name`, at most `maximum`.
    private mutating func parseBoundedField(
        _ name: String, article: String, after: String? = nil, maximum: Int
    ) throws(TOMLSyntaxError) {
        let start = scanner.index
        let value = try parseField(digits: 2, "a two-digit \(name)" + (after.map { " after \($0)" } ?? ""))
        guard value <= maximum else {
            throw fieldError(at: start, name, expected: "\(article) \(name) from 00 to \(maximum)")
        }
    }

    /// Exactly `digits` decimal digits as a number.
    private mutating func parseField(digits: Int, _ expected: @autoclosure () -> String) throws(TOMLSyntaxError) -> Int
    {
        var value = 0
        for offset in 0..<digits {
            guard let byte = scanner.peek(offset), Self.isDigit(byte) else { throw scanner.error(expected: expected()) }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        scanner.index += digits
        return value
    }

    /// "found month 13, expected …", quoting the two digits as written.
    private func fieldError(at start: Int, _ name: String, expected: String) -> TOMLSyntaxError {
        scanner.source.error(
            at: start, "found \(name) \(scanner.source.text(from: start, to: start + 2)), expected \(expected)")
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    private static func monthName(_ month: Int) -> String {
        let names = [
            "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
            "November", "December",
        ]
        return names[month - 1]
    }
}
