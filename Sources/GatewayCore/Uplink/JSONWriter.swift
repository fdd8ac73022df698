/// Writes compact JSON with keys in the order given: the uplink's payloads are a public API, and a
/// stable key order makes them easy to read in a broker's log and to compare in tests.
///
/// The text is built as UTF-8 bytes, the form it is published in: a hub's batch of 500 aggregates
/// is about 94 KB, and the uplink writes it on its sender's hot path.
public struct JSONWriter: Sendable {
    public private(set) var bytes: [UInt8] = []
    private var needsComma: [Bool] = []

    /// The text written so far (the bytes are always valid UTF-8).
    public var text: String { String(decoding: bytes, as: UTF8.self) }

    public init() {}

    /// Reserves room for about `capacity` bytes, when the caller knows the payload's size.
    public init(capacity: Int) {
        bytes.reserveCapacity(capacity)
    }

    /// A key written once, escaped and quoted with its colon, for keys used on every object of a
    /// batch.
    public struct Key: Sendable {
        fileprivate let bytes: [UInt8]

        public init(_ name: String) {
            var bytes: [UInt8] = []
            JSONWriter.appendString(name, to: &bytes)
            bytes.append(UInt8(ascii: ":"))
            self.bytes = bytes
        }
    }

    public mutating func beginObject() {
        separate()
        bytes.append(UInt8(ascii: "{"))
        needsComma.append(false)
    }

    /// An object as the value of `key`; close it with `endObject()`.
    public mutating func beginObject(_ key: String) {
        self.key(key)
        bytes.append(UInt8(ascii: "{"))
        needsComma.append(false)
    }

    public mutating func endObject() {
        bytes.append(UInt8(ascii: "}"))
        needsComma.removeLast()
    }

    public mutating func beginArray(_ key: String) {
        self.key(key)
        bytes.append(UInt8(ascii: "["))
        needsComma.append(false)
    }

    public mutating func beginArray(_ key: Key) {
        self.key(key)
        bytes.append(UInt8(ascii: "["))
        needsComma.append(false)
    }

    public mutating func endArray() {
        bytes.append(UInt8(ascii: "]"))
        needsComma.removeLast()
    }

    public mutating func field(_ key: String, _ value: String) {
        self.key(key)
        Self.appendString(value, to: &bytes)
    }

    public mutating func field(_ key: Key, _ value: String) {
        self.key(key)
        Self.appendString(value, to: &bytes)
    }

    /// A string value already written as a JSON string literal (quotes and escapes included), for a
    /// value repeated across a batch, such as a window's start.
    public mutating func field(_ key: Key, literal: [UInt8]) {
        self.key(key)
        bytes.append(contentsOf: literal)
    }

    public mutating func field(_ key: String, _ value: Int) {
        self.key(key)
        Self.appendInteger(Int64(value), to: &bytes)
    }

    public mutating func field(_ key: Key, _ value: Int) {
        self.key(key)
        Self.appendInteger(Int64(value), to: &bytes)
    }

    public mutating func field(_ key: String, _ value: Bool) {
        self.key(key)
        Self.appendBool(value, to: &bytes)
    }

    public mutating func field(_ key: Key, _ value: Bool) {
        self.key(key)
        Self.appendBool(value, to: &bytes)
    }

    public mutating func nullField(_ key: String) {
        self.key(key)
        bytes.append(contentsOf: "null".utf8)
    }

    /// A finite number in its shortest round-trip form; non-finite numbers (never stored) become null.
    public mutating func field(_ key: String, _ value: Double?) {
        self.key(key)
        Self.appendNumber(value, to: &bytes)
    }

    public mutating func field(_ key: Key, _ value: Double?) {
        self.key(key)
        Self.appendNumber(value, to: &bytes)
    }

    private mutating func key(_ name: String) {
        separate()
        Self.appendString(name, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
    }

    private mutating func key(_ key: Key) {
        separate()
        bytes.append(contentsOf: key.bytes)
    }

    private mutating func separate() {
        guard !needsComma.isEmpty else { return }
        if needsComma[needsComma.count - 1] { bytes.append(UInt8(ascii: ",")) }
        needsComma[needsComma.count - 1] = true
    }

    // MARK: - Values

    private static func appendBool(_ value: Bool, to bytes: inout [UInt8]) {
        bytes.append(contentsOf: value ? "true".utf8 : "false".utf8)
    }

    private static func appendNumber(_ value: Double?, to bytes: inout [UInt8]) {
        guard let value, value.isFinite else {
            bytes.append(contentsOf: "null".utf8)
            return
        }
        // Whole numbers without ".0", as a hub's JSON parser would print them (no libm rounding here).
        if abs(value) < 1e15, value == Double(Int64(value)) {
            appendInteger(Int64(value), to: &bytes)
        } else {
            bytes.append(contentsOf: value.description.utf8)
        }
    }

    /// Decimal digits straight into the buffer, without a `String` per number.
    private static func appendInteger(_ value: Int64, to bytes: inout [UInt8]) {
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude  // Int64.min has no positive Int64
        // 20 digits hold UInt64.max.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var start = 20
            repeat {
                start -= 1
                digits[start] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: digits[start...]))
        }
    }

    // MARK: - Strings

    /// A JSON string literal with the escapes RFC 8259 requires.
    public static func appendString(_ value: String, to text: inout String) {
        var bytes: [UInt8] = []
        appendString(value, to: &bytes)
        text += String(decoding: bytes, as: UTF8.self)
    }

    /// A JSON string literal with the escapes RFC 8259 requires, as UTF-8. A string with nothing to
    /// escape (every sensor name and key in practice) is copied whole; only the rest goes byte by byte.
    public static func appendString(_ value: String, to bytes: inout [UInt8]) {
        var value = value
        // Native Swift strings are contiguous UTF-8 already; this only copies a bridged one.
        value.withUTF8 { utf8 in
            bytes.append(UInt8(ascii: "\""))
            if utf8.contains(where: needsEscape) {
                appendEscaped(utf8, to: &bytes)
            } else {
                bytes.append(contentsOf: utf8)
            }
            bytes.append(UInt8(ascii: "\""))
        }
    }

    /// A quote, a backslash or a control character. Bytes of multi-byte UTF-8 sequences are all
    /// 0x80 or above, so testing bytes finds exactly the scalars that need an escape.
    private static func needsEscape(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\")
    }

    private static func appendEscaped(_ utf8: UnsafeBufferPointer<UInt8>, to bytes: inout [UInt8]) {
        for byte in utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes.append(contentsOf: #"\""#.utf8)
            case UInt8(ascii: "\\"): bytes.append(contentsOf: #"\\"#.utf8)
            case UInt8(ascii: "\n"): bytes.append(contentsOf: #"\n"#.utf8)
            case UInt8(ascii: "\r"): bytes.append(contentsOf: #"\r"#.utf8)
            case UInt8(ascii: "\t"): bytes.append(contentsOf: #"\t"#.utf8)
            case _ where byte < 0x20:
                bytes.append(contentsOf: #"\u00"#.utf8)
                bytes.append(hexDigit(byte >> 4))
                bytes.append(hexDigit(byte & 0xF))
            default:
                bytes.append(byte)
            }
        }
    }

    /// Lowercase, as `\u001f` has always been written.
    private static func hexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
    }
}
