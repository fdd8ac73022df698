/// Sizes as the configuration writes them: `"512MiB"`, `"16KiB"`, `"1GiB"`, `"100MB"`, or a bare
/// number of bytes, `"1000"`.
///
/// `KB`, `MB`, `GB`, `TB` count in thousands and `KiB`, `MiB`, `GiB`, `TiB` in 1024s, as their
/// names say; `B` is bytes. Whole numbers only, no space before the unit.
public enum ByteSizeText {
    /// The units with their size in bytes, binary ones first so `format` prefers them.
    static let units: [(symbol: String, bytes: Int64)] = [
        ("TiB", 1 << 40), ("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10),
        ("TB", 1_000_000_000_000), ("GB", 1_000_000_000), ("MB", 1_000_000), ("KB", 1_000),
        ("B", 1),
    ]

    /// The number of bytes `text` spells, or nil when it is not a size.
    public static func parse(_ text: String) -> Int64? {
        let digits = text.prefix(while: { $0.isASCII && $0.isNumber })
        guard !digits.isEmpty, let number = Int64(digits) else { return nil }
        let symbol = text.dropFirst(digits.count)
        guard !symbol.isEmpty else { return number }
        guard let unit = units.first(where: { $0.symbol == symbol }) else { return nil }
        let (bytes, overflow) = number.multipliedReportingOverflow(by: unit.bytes)
        return overflow ? nil : bytes
    }

    /// `bytes` in the largest unit that divides it exactly: `"512MiB"`, `"100MB"`, `"1001B"`.
    public static func format(_ bytes: Int64) -> String {
        guard bytes > 0 else { return "\(bytes)B" }
        // `B` divides everything, so the search always ends on a unit.
        let unit = units.first(where: { bytes % $0.bytes == 0 }) ?? ("B", 1)
        return "\(bytes / unit.bytes)\(unit.symbol)"
    }
}
