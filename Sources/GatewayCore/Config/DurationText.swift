/// Durations as the configuration and the command line write them: `"500ms"`, `"30s"`, `"15m"`,
/// `"2h"`, `"14d"`, or a combination from the largest unit down, like `"1h30m"`.
///
/// Whole numbers only, each unit at most once: one obvious spelling per duration, so a typo such as
/// `"1.5h"` or `"30 s"` is reported rather than guessed at. The resolution is one millisecond, the
/// resolution of every time in the gateway.
public enum DurationText {
    /// The units, largest first, with their length in milliseconds.
    static let units: [(symbol: String, milliseconds: Int64)] = [
        ("d", 86_400_000), ("h", 3_600_000), ("m", 60_000), ("s", 1_000), ("ms", 1),
    ]

    /// The duration `text` spells, or nil when it is not one (empty, a unit missing or repeated or
    /// out of order, a fraction, a sign, or too long to count in milliseconds).
    public static func parse(_ text: String) -> Duration? {
        guard let milliseconds = parseMilliseconds(text) else { return nil }
        return .milliseconds(milliseconds)
    }

    /// `duration` written the way `parse` reads it, largest unit first: `"1h30m"`, `"14d"`, `"0s"`.
    /// Anything finer than a millisecond is dropped.
    public static func format(_ duration: Duration) -> String {
        var rest = milliseconds(of: duration)
        guard rest != 0 else { return "0s" }
        var text = rest < 0 ? "-" : ""
        rest = rest.magnitude > Int64.max.magnitude ? Int64.max : abs(rest)
        for unit in units where rest >= unit.milliseconds {
            text += "\(rest / unit.milliseconds)\(unit.symbol)"
            rest %= unit.milliseconds
        }
        return text
    }

    /// Whole milliseconds in `duration`, rounded toward zero: the resolution of every time in the
    /// buffer and the uplink.
    public static func milliseconds(of duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        let (whole, overflow) = seconds.multipliedReportingOverflow(by: 1_000)
        if overflow { return seconds < 0 ? Int64.min : Int64.max }
        return whole + attoseconds / 1_000_000_000_000_000
    }

    private static func parseMilliseconds(_ text: String) -> Int64? {
        var rest = Substring(text)
        var total: Int64 = 0
        // Index into `units` of the last unit read: the next one must be smaller.
        var lastUnit = -1
        guard !rest.isEmpty else { return nil }
        while !rest.isEmpty {
            let digits = rest.prefix(while: { $0.isASCII && $0.isNumber })
            guard !digits.isEmpty, let number = Int64(digits) else { return nil }
            rest = rest.dropFirst(digits.count)
            let symbol = rest.prefix(while: { $0.isASCII && $0.isLetter })
            guard let unit = units.firstIndex(where: { $0.symbol == symbol }), unit > lastUnit else {
                return nil
            }
            rest = rest.dropFirst(symbol.count)
            lastUnit = unit
            let (part, overflow) = number.multipliedReportingOverflow(by: units[unit].milliseconds)
            guard !overflow else { return nil }
            let (sum, sumOverflow) = total.addingReportingOverflow(part)
            guard !sumOverflow else { return nil }
            total = sum
        }
        return total
    }
}
