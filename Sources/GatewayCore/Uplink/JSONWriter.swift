/// Writes compact JSON with keys in the order given: the uplink's payloads are a public API, and a
/// stable key order makes them easy to read in a broker's log and to compare in tests.
public struct JSONWriter: Sendable {
    public private(set) var text = ""
    private var needsComma: [Bool] = []

    public init() {}

    public mutating func beginObject() {
        separate()
        text += "{"
        needsComma.append(false)
    }

    /// An object as the value of `key`; close it with `endObject()`.
    public mutating func beginObject(_ key: String) {
        self.key(key)
        text += "{"
        needsComma.append(false)
    }

    public mutating func endObject() {
        text += "}"
        needsComma.removeLast()
    }

    public mutating func beginArray(_ key: String) {
        self.key(key)
        text += "["
        needsComma.append(false)
    }

    public mutating func endArray() {
        text += "]"
        needsComma.removeLast()
    }

    public mutating func field(_ key: String, _ value: String) {
        self.key(key)
        Self.appendString(value, to: &text)
    }

    public mutating func field(_ key: String, _ value: Int) {
        self.key(key)
        text += String(value)
    }

    public mutating func field(_ key: String, _ value: Bool) {
        self.key(key)
        text += value ? "true" : "false"
    }

    public mutating func nullField(_ key: String) {
        self.key(key)
        text += "null"
    }

    /// A finite number in its shortest round-trip form; non-finite numbers (never stored) become null.
    public mutating func field(_ key: String, _ value: Double?) {
        self.key(key)
        guard let value, value.isFinite else {
            text += "null"
            return
        }
        // Whole numbers without ".0", as a hub's JSON parser would print them (no libm rounding here).
        if abs(value) < 1e15, value == Double(Int64(value)) {
            text += String(Int64(value))
        } else {
            text += "\(value)"
        }
    }

    private mutating func key(_ name: String) {
        separate()
        Self.appendString(name, to: &text)
        text += ":"
    }

    private mutating func separate() {
        guard !needsComma.isEmpty else { return }
        if needsComma[needsComma.count - 1] { text += "," }
        needsComma[needsComma.count - 1] = true
    }

    /// A JSON string literal with the escapes RFC 8259 requires.
    public static func appendString(_ value: String, to text: inout String) {
        text += "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case "\n": text += "\\n"
            case "\r": text += "\\r"
            case "\t": text += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                text += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default:
                text.unicodeScalars.append(scalar)
            }
        }
        text += "\""
    }
}
