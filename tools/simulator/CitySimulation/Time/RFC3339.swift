/// Reads and writes RFC 3339 times such as `2026-11-26T00:00:00Z` or `2026-11-26T01:00:00.250+01:00`.
public enum RFC3339 {
    /// Parses a full date-time with `Z` or a numeric offset; fractional seconds are kept to the millisecond.
    public static func parse(_ text: String) -> SimulatedTime? {
        var scanner = DigitScanner(text)
        guard let year = scanner.number(digits: 4), scanner.skip("-"),
              let month = scanner.number(digits: 2), scanner.skip("-"),
              let day = scanner.number(digits: 2), scanner.skip("T") || scanner.skip("t") || scanner.skip(" "),
              let hour = scanner.number(digits: 2), scanner.skip(":"),
              let minute = scanner.number(digits: 2), scanner.skip(":"),
              let second = scanner.number(digits: 2)
        else { return nil }
        guard CivilCalendar.isValid(year: year, month: month, day: day),
              hour < 24, minute < 60, second < 60 else { return nil }
        var milliseconds: Int64 = 0
        if scanner.skip(".") {
            let fraction = scanner.digitRun()
            guard !fraction.isEmpty else { return nil }
            for (index, digit) in fraction.prefix(3).enumerated() {
                milliseconds += digit * [100, 10, 1][index]
            }
        }
        let offsetMinutes: Int64
        if scanner.skip("Z") || scanner.skip("z") {
            offsetMinutes = 0
        } else if let sign = scanner.sign(), let hours = scanner.number(digits: 2), scanner.skip(":"),
                  let minutes = scanner.number(digits: 2), hours < 24, minutes < 60 {
            offsetMinutes = sign * (hours * 60 + minutes)
        } else {
            return nil
        }
        guard scanner.isAtEnd else { return nil }
        let days = CivilCalendar.days(year: year, month: month, day: day)
        let seconds = days * 86_400 + hour * 3_600 + minute * 60 + second - offsetMinutes * 60
        return SimulatedTime(epochMilliseconds: seconds * 1_000 + milliseconds)
    }

    /// `2026-11-26T00:00:00.000Z`: UTC with milliseconds, as StreetGate writes every time.
    public static func format(_ time: SimulatedTime) -> String {
        let days = CivilCalendar.floorDivide(time.epochMilliseconds, 86_400_000)
        let withinDay = time.epochMilliseconds - days * 86_400_000
        let date = CivilCalendar.date(days: days)
        let hour = withinDay / 3_600_000
        let minute = withinDay / 60_000 % 60
        let second = withinDay / 1_000 % 60
        let millisecond = withinDay % 1_000
        return "\(padded(date.year, 4))-\(padded(date.month, 2))-\(padded(date.day, 2))"
            + "T\(padded(hour, 2)):\(padded(minute, 2)):\(padded(second, 2)).\(padded(millisecond, 3))Z"
    }

    static func padded(_ value: Int64, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}

/// A forward-only reader over ASCII digits and punctuation.
struct DigitScanner {
    private let bytes: [UInt8]
    private var index = 0

    init(_ text: String) {
        bytes = Array(text.utf8)
    }

    var isAtEnd: Bool { index == bytes.count }

    mutating func skip(_ character: Character) -> Bool {
        guard let ascii = character.asciiValue, index < bytes.count, bytes[index] == ascii else { return false }
        index += 1
        return true
    }

    mutating func number(digits count: Int) -> Int64? {
        guard index + count <= bytes.count else { return nil }
        var value: Int64 = 0
        for byte in bytes[index..<index + count] {
            guard let digit = Self.digit(byte) else { return nil }
            value = value * 10 + digit
        }
        index += count
        return value
    }

    /// Consecutive digits, each as a number 0…9.
    mutating func digitRun() -> [Int64] {
        var run: [Int64] = []
        while index < bytes.count, let digit = Self.digit(bytes[index]) {
            run.append(digit)
            index += 1
        }
        return run
    }

    mutating func sign() -> Int64? {
        if skip("+") { return 1 }
        if skip("-") { return -1 }
        return nil
    }

    private static func digit(_ byte: UInt8) -> Int64? {
        (48...57).contains(byte) ? Int64(byte - 48) : nil
    }
}
