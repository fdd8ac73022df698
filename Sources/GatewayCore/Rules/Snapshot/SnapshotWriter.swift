/// Appends fixed-width little-endian numbers and length-prefixed UTF-8 strings to a byte array
/// reserved up front.
struct SnapshotWriter {
    private var bytes: [UInt8] = []

    init(capacity: Int) {
        bytes.reserveCapacity(capacity)
    }

    var count: Int { bytes.count }

    /// The bytes written, handed over without a copy.
    consuming func finish() -> [UInt8] {
        bytes
    }

    mutating func write<Number: FixedWidthInteger>(_ value: Number) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func write(_ value: Double) {
        write(value.bitPattern)
    }

    mutating func write(_ value: Float) {
        write(value.bitPattern)
    }

    /// A `UInt32` byte count, then the UTF-8.
    mutating func write(_ text: String) {
        var text = text
        text.withUTF8 { utf8 in
            write(UInt32(utf8.count))
            bytes.append(contentsOf: utf8)
        }
    }

    mutating func write(bytes more: [UInt8]) {
        bytes.append(contentsOf: more)
    }

    /// Overwrites a `UInt32` written earlier at `offset`: a count known only once what it counts
    /// has been written.
    mutating func patch(_ value: UInt32, at offset: Int) {
        bytes.withUnsafeMutableBytes { $0.storeBytes(of: value.littleEndian, toByteOffset: offset, as: UInt32.self) }
    }

    /// Drops what was written from `count` on.
    mutating func truncate(to count: Int) {
        bytes.removeSubrange(count...)
    }
}
