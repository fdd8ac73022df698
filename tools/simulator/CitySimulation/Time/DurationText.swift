/// Durations written the way StreetGate's configuration writes them: `500ms`, `5s`, `15m`, `2h`, `1d`,
/// also with a fraction (`1.5s`).
public enum DurationText {
    /// The length in milliseconds, or nil when the text is not a number followed by a unit.
    public static func milliseconds(_ text: String) -> Int64? {
        let units: [(suffix: String, milliseconds: Double)] = [
            ("ms", 1), ("s", 1_000), ("m", 60_000), ("h", 3_600_000), ("d", 86_400_000),
        ]
        // "ms" is tried before "s" and "m", so "500ms" is not read as 500 m + "s".
        for unit in units where text.hasSuffix(unit.suffix) {
            let number = text.dropLast(unit.suffix.count)
            guard !number.isEmpty, number.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }),
                  let value = Double(number), value.isFinite else { return nil }
            let total = (value * unit.milliseconds).rounded()
            guard total < 1e15 else { return nil }
            return Int64(total)
        }
        return nil
    }

    /// The same, as a `Duration`.
    public static func duration(_ text: String) -> Duration? {
        milliseconds(text).map { .milliseconds($0) }
    }
}
