/// A point in time as whole milliseconds since the Unix epoch, UTC: the resolution of every time in
/// the uplink contract and of the buffer.
public struct Timestamp: Sendable, Hashable, Comparable, Codable {
    public var milliseconds: Int64

    public init(milliseconds: Int64) {
        self.milliseconds = milliseconds
    }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool {
        lhs.milliseconds < rhs.milliseconds
    }
}

// MARK: - Range

extension Timestamp {
    /// 0001-01-01T00:00:00.000Z: the first time RFC 3339 can write with a four-digit year.
    public static let earliest = Timestamp(milliseconds: -62_135_596_800_000)
    /// 9999-12-31T23:59:59.999Z: the last time RFC 3339 can write.
    public static let latest = Timestamp(milliseconds: 253_402_300_799_999)

    /// A time outside `earliest...latest` is a device's mistake, not a time to store.
    public var isInRFC3339Range: Bool {
        Timestamp.earliest <= self && self <= Timestamp.latest
    }

    /// Milliseconds as a Double, rounded to the nearest whole one; nil when they fall outside
    /// `earliest...latest`.
    init?(checkedMilliseconds milliseconds: Double) {
        guard let whole = roundedToInt64(milliseconds) else { return nil }
        let timestamp = Timestamp(milliseconds: whole)
        guard timestamp.isInRFC3339Range else { return nil }
        self = timestamp
    }
}

// MARK: - Seconds and epoch numbers

extension Timestamp {
    /// Seconds since the epoch, rounded to the nearest millisecond. Non-finite input gives the
    /// epoch and values beyond what Int64 milliseconds hold are clamped, so the initialiser never
    /// traps; use `fromEpochNumber(_:)` for numbers that come from outside.
    public init(seconds: Double) {
        let milliseconds = seconds * 1000
        if let whole = roundedToInt64(milliseconds) {
            self.init(milliseconds: whole)
        } else if milliseconds.isNaN {
            self.init(milliseconds: 0)
        } else {
            self.init(milliseconds: milliseconds < 0 ? .min : .max)
        }
    }

    /// Seconds since the epoch.
    public var seconds: Double {
        Double(milliseconds) / 1000
    }

    /// A time a device sent as a bare number, by THE RULE: a magnitude of at least 1e11 is
    /// milliseconds, anything smaller is seconds.
    ///
    /// The two ranges do not meet in practice: 1e11 seconds is the year 5138, and 1e11 milliseconds
    /// is March 1973, long before any of these devices existed. Fractions are rounded to the
    /// millisecond. Nil when `x` is not finite or lands outside years 0001 to 9999.
    public static func fromEpochNumber(_ x: Double) -> Timestamp? {
        guard x.isFinite else { return nil }
        let milliseconds = x.magnitude >= 1e11 ? x : x * 1000
        return Timestamp(checkedMilliseconds: milliseconds)
    }

    /// Seconds since the epoch from a payload, rounded to the millisecond; nil outside years
    /// 0001 to 9999.
    static func fromSeconds(_ seconds: Double) -> Timestamp? {
        Timestamp(checkedMilliseconds: seconds * 1000)
    }
}

/// `x` rounded half away from zero, or nil when it is not finite or beyond Int64.
///
/// Written out rather than `Double.rounded()`, which on Linux calls libm's `round`: this pure
/// module should not make every executable that uses it link libm. `x - Double(truncated)` is
/// exact for every finite Double, so the result is the correctly rounded one.
func roundedToInt64(_ x: Double) -> Int64? {
    guard x > -9.223_372_036_854_775e18, x < 9.223_372_036_854_775e18 else { return nil }
    let truncated = Int64(x)
    let fraction = x - Double(truncated)
    if fraction >= 0.5 { return truncated + 1 }
    if fraction <= -0.5 { return truncated - 1 }
    return truncated
}

// MARK: - Civil dates

/// Days since 1970-01-01 of a proleptic Gregorian date, and back: Howard Hinnant's
/// `days_from_civil` and `civil_from_days` (http://howardhinnant.github.io/date_algorithms.html),
/// exact for every Int64 day count we can meet and free of any calendar library.
enum CivilDate {
    static func days(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let monthFromMarch = month > 2 ? month - 3 : month + 9
        let dayOfYear = (153 * monthFromMarch + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    static func date(days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthFromMarch = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthFromMarch + 2) / 5 + 1
        let month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    static func isLeap(_ year: Int64) -> Bool {
        year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
    }

    static func daysIn(month: Int64, year: Int64) -> Int64 {
        switch month {
        case 2: isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}

// MARK: - RFC 3339

extension Timestamp {
    static let millisecondsPerDay: Int64 = 86_400_000

    /// `2026-11-26T13:59:00.000Z`: always UTC, always three fractional digits, as the uplink
    /// contract writes every time. Years outside 0001 to 9999 are written with a sign and as many
    /// digits as they need (ISO 8601 expanded years), so printing never fails.
    public var rfc3339: String {
        // Remainder first: `days * millisecondsPerDay` would overflow near Int64.min.
        let remainder = milliseconds % Timestamp.millisecondsPerDay
        let ofDay = remainder < 0 ? remainder + Timestamp.millisecondsPerDay : remainder
        let days = milliseconds.floorDivided(by: Timestamp.millisecondsPerDay)
        let (year, month, day) = CivilDate.date(days: days)
        let hour = ofDay / 3_600_000
        let minute = ofDay / 60_000 % 60
        let second = ofDay / 1000 % 60
        let millisecond = ofDay % 1000
        guard (0...9999).contains(year) else {
            let sign = year < 0 ? "-" : "+"
            let digits = String(year.magnitude)
            let yearText = sign + String(repeating: "0", count: max(0, 4 - digits.count)) + digits
            return yearText + Timestamp.format(year: nil, month, day, hour, minute, second, millisecond)
        }
        return Timestamp.format(year: year, month, day, hour, minute, second, millisecond)
    }

    /// Writes the fixed-width part into one small buffer instead of joining padded strings.
    private static func format(
        year: Int64?, _ month: Int64, _ day: Int64, _ hour: Int64, _ minute: Int64, _ second: Int64,
        _ millisecond: Int64
    ) -> String {
        let length = year == nil ? 20 : 24
        return String(unsafeUninitializedCapacity: length) { buffer in
            var index = 0
            func put(_ value: Int64, digits: Int) {
                var value = value
                for position in stride(from: index + digits - 1, through: index, by: -1) {
                    buffer[position] = UInt8(ascii: "0") + UInt8(value % 10)
                    value /= 10
                }
                index += digits
            }
            func put(_ character: Unicode.Scalar) {
                buffer[index] = UInt8(ascii: character)
                index += 1
            }
            if let year { put(year, digits: 4) }
            put("-"); put(month, digits: 2); put("-"); put(day, digits: 2); put("T")
            put(hour, digits: 2); put(":"); put(minute, digits: 2); put(":"); put(second, digits: 2)
            put("."); put(millisecond, digits: 3); put("Z")
            return index
        }
    }

    /// Parses an RFC 3339 date-time: `2026-11-26T13:59:00Z`, `2026-11-26t14:59:00.123456+01:00`,
    /// `2026-11-26 13:59:00z`.
    ///
    /// Accepts 'T', 't' or a space between date and time, 'Z', 'z' or a ±HH:MM offset, and any
    /// number of fractional digits, truncated to the millisecond. Checks every range: month, day of
    /// that month (leap years included), hour < 24, minute < 60, second <= 60; a leap second is
    /// held at 59.999 so it stays in its minute. Nil for anything else, and for times outside
    /// years 0001 to 9999 once the offset is applied.
    public init?(rfc3339 text: some StringProtocol) {
        let parsed = text.utf8.withContiguousStorageIfAvailable(Timestamp.parseRFC3339)
            ?? Array(text.utf8).withUnsafeBufferPointer(Timestamp.parseRFC3339)
        guard let parsed else { return nil }
        self = parsed
    }

    static func parseRFC3339(_ bytes: UnsafeBufferPointer<UInt8>) -> Timestamp? {
        var reader = ByteReader(bytes: bytes)
        guard let year = reader.digits(4), reader.skip("-"),
            let month = reader.digits(2), (1...12).contains(month), reader.skip("-"),
            let day = reader.digits(2), (1...CivilDate.daysIn(month: month, year: year)).contains(day),
            reader.skip("T") || reader.skip("t") || reader.skip(" "),
            let hour = reader.digits(2), hour < 24, reader.skip(":"),
            let minute = reader.digits(2), minute < 60, reader.skip(":"),
            var second = reader.digits(2), second <= 60
        else { return nil }
        var millisecond: Int64 = 0
        if reader.skip(".") {
            var count = 0
            while let digit = reader.digit() {
                if count < 3 { millisecond = millisecond * 10 + digit }
                count += 1
            }
            guard count > 0 else { return nil }
            for _ in count..<max(count, 3) { millisecond *= 10 }
        }
        if second == 60 {
            second = 59
            millisecond = 999
        }
        var offsetMinutes: Int64 = 0
        if reader.skip("Z") || reader.skip("z") {
            offsetMinutes = 0
        } else {
            let sign: Int64
            if reader.skip("+") {
                sign = 1
            } else if reader.skip("-") {
                sign = -1
            } else {
                return nil
            }
            guard let offsetHour = reader.digits(2), offsetHour < 24, reader.skip(":"),
                let offsetMinute = reader.digits(2), offsetMinute < 60
            else { return nil }
            offsetMinutes = sign * (offsetHour * 60 + offsetMinute)
        }
        guard reader.isAtEnd else { return nil }
        let days = CivilDate.days(year: year, month: month, day: day)
        let local = days * millisecondsPerDay + hour * 3_600_000 + minute * 60_000 + second * 1000 + millisecond
        let timestamp = Timestamp(milliseconds: local - offsetMinutes * 60_000)
        return timestamp.isInRFC3339Range ? timestamp : nil
    }
}

/// Reads ASCII fields from a byte buffer, one step at a time.
private struct ByteReader {
    let bytes: UnsafeBufferPointer<UInt8>
    var index = 0

    var isAtEnd: Bool { index == bytes.count }

    mutating func skip(_ character: Unicode.Scalar) -> Bool {
        guard index < bytes.count, bytes[index] == UInt8(ascii: character) else { return false }
        index += 1
        return true
    }

    mutating func digit() -> Int64? {
        guard index < bytes.count else { return nil }
        let value = bytes[index] &- UInt8(ascii: "0")
        guard value < 10 else { return nil }
        index += 1
        return Int64(value)
    }

    /// Exactly `count` digits.
    mutating func digits(_ count: Int) -> Int64? {
        var value: Int64 = 0
        for _ in 0..<count {
            guard let digit = digit() else { return nil }
            value = value * 10 + digit
        }
        return value
    }
}

extension Int64 {
    /// Division rounding toward negative infinity, so times before 1970 fall on the right day.
    func floorDivided(by divisor: Int64) -> Int64 {
        let quotient = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }
}
