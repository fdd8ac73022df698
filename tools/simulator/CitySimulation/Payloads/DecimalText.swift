/// Numbers as short JSON text: `2.41`, `18`, `-0.5`; never `2.4100000000000001` or `1e-05`.
enum DecimalText {
    /// `value` rounded to at most `decimals` places, trailing zeros dropped.
    static func format(_ value: Double, decimals: Int) -> String {
        // Models never produce NaN or infinity; if one did, JSON has no spelling for it.
        guard value.isFinite else { return "0" }
        var scale: Int64 = 1
        for _ in 0..<decimals { scale *= 10 }
        let scaled = (value * Double(scale)).rounded()
        guard abs(scaled) < 9e15 else { return "\(value.rounded())" }
        let magnitude = Int64(abs(scaled))
        let whole = magnitude / scale
        var text = (scaled < 0 && magnitude != 0 ? "-" : "") + String(whole)
        var fraction = magnitude % scale
        guard fraction != 0 else { return text }
        var places = decimals
        while fraction % 10 == 0 {
            fraction /= 10
            places -= 1
        }
        let digits = String(fraction)
        text += "." + String(repeating: "0", count: places - digits.count) + digits
        return text
    }

    /// Epoch milliseconds as seconds with exactly three decimals, `1764165540.123`: exact, no float rounding.
    static func seconds(fromMilliseconds milliseconds: Int64) -> String {
        let seconds = CivilCalendar.floorDivide(milliseconds, 1_000)
        let remainder = milliseconds - seconds * 1_000
        return String(seconds) + "." + String(repeating: "0", count: 3 - String(remainder).count) + String(remainder)
    }
}
