/// A stretch of local wall-clock time, `"HH:MM-HH:MM"` (`during` in a `[[rule]]`).
///
/// The start is included and the end is not. A range whose end comes before its start crosses
/// midnight: `"22:00-06:00"` is the night. Start and end differ, so a range is never empty and
/// never the whole day (leave `during` out for that).
public struct TimeOfDayRange: Sendable, Hashable, CustomStringConvertible {
    /// Minutes after local midnight, 0 to 1439.
    public var startMinute: Int
    /// Minutes after local midnight, 0 to 1439; not equal to `startMinute`.
    public var endMinute: Int

    /// The range, or nil when `start == end` or either is outside 0..<1440.
    public init?(startMinute: Int, endMinute: Int) {
        let day = 0..<Self.minutesPerDay
        guard day.contains(startMinute), day.contains(endMinute), startMinute != endMinute else { return nil }
        self.startMinute = startMinute
        self.endMinute = endMinute
    }

    /// Reads `"HH:MM-HH:MM"` (two digits each, 24-hour clock), or nil.
    public init?(parsing text: String) {
        let ends = text.split(separator: "-", omittingEmptySubsequences: false)
        guard ends.count == 2, let start = Self.minute(ends[0]), let end = Self.minute(ends[1]) else { return nil }
        self.init(startMinute: start, endMinute: end)
    }

    public var crossesMidnight: Bool { endMinute < startMinute }

    /// Whether the local time `minuteOfDay` minutes after midnight falls in the range.
    public func contains(minuteOfDay: Int) -> Bool {
        crossesMidnight
            ? minuteOfDay >= startMinute || minuteOfDay < endMinute
            : minuteOfDay >= startMinute && minuteOfDay < endMinute
    }

    public var description: String { "\(Self.clock(startMinute))-\(Self.clock(endMinute))" }

    static let minutesPerDay = 24 * 60

    /// `"HH:MM"` as minutes after midnight.
    private static func minute(_ text: Substring) -> Int? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ $0.count == 2 && $0.allSatisfy { $0.isASCII && $0.isNumber } }),
            let hour = Int(parts[0]), let minute = Int(parts[1]), hour < 24, minute < 60
        else { return nil }
        return hour * 60 + minute
    }

    private static func clock(_ minute: Int) -> String {
        func twoDigits(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(twoDigits(minute / 60)):\(twoDigits(minute % 60))"
    }
}
