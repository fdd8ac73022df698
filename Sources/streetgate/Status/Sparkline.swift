/// A row of block glyphs, one per time bucket, scaled between the series' own lowest and highest
/// mean: the shape of the last hour, not its level. A bucket without data is a space; a series
/// that did not move is drawn mid-height.
enum Sparkline {
    static let glyphs: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

    static func render(_ values: [Double?]) -> String {
        let known = values.compactMap { $0 }.filter(\.isFinite)
        guard let low = known.min(), let high = known.max() else {
            return String(repeating: " ", count: values.count)
        }
        let span = high - low
        return String(values.map { value -> Character in
            guard let value, value.isFinite else { return " " }
            guard span > 0 else { return glyphs[3] }
            let index = Int(((value - low) / span * Double(glyphs.count - 1)).rounded())
            return glyphs[min(max(index, 0), glyphs.count - 1)]
        })
    }
}
