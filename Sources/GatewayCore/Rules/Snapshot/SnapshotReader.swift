/// Reads what `SnapshotWriter` wrote, from a buffer that outlives it, checking every length against
/// the bytes left: damaged input throws, it never reads out of bounds or reserves memory it names.
struct SnapshotReader {
    private let bytes: UnsafeRawBufferPointer
    private var position = 0
    /// Where `bytes` starts within the snapshot, for the offsets in errors.
    private let base: Int

    init(_ bytes: UnsafeRawBufferPointer, startingAt base: Int) {
        self.bytes = bytes
        self.base = base
    }

    /// The offset in the snapshot of the next byte to read.
    var offset: Int { base + position }

    private var remaining: Int { bytes.count - position }

    mutating func read<Number: FixedWidthInteger>(_: Number.Type = Number.self) throws(RuleStateSnapshotError) -> Number {
        let size = MemoryLayout<Number>.size
        guard remaining >= size else { throw RuleStateSnapshotError(.truncated, at: base + bytes.count) }
        let value = bytes.loadUnaligned(fromByteOffset: position, as: Number.self)
        position += size
        return Number(littleEndian: value)
    }

    mutating func read(_: Double.Type = Double.self) throws(RuleStateSnapshotError) -> Double {
        Double(bitPattern: try read(UInt64.self))
    }

    mutating func read(_: Float.Type = Float.self) throws(RuleStateSnapshotError) -> Float {
        Float(bitPattern: try read(UInt32.self))
    }

    /// A `UInt32` count of elements that each take at least `minimumSize` bytes: a count the bytes
    /// left cannot hold is damage, not a reason to reserve gigabytes.
    mutating func readCount(minimumSize: Int) throws(RuleStateSnapshotError) -> Int {
        let start = offset
        let count = Int(try read(UInt32.self))
        guard count <= remaining / minimumSize else { throw RuleStateSnapshotError(.truncated, at: start) }
        return count
    }

    /// A `UInt32` byte count, then that much UTF-8.
    mutating func read(_: String.Type = String.self) throws(RuleStateSnapshotError) -> String {
        let start = offset
        let length = try readCount(minimumSize: 1)
        let utf8 = UnsafeRawBufferPointer(rebasing: bytes[position..<(position + length)])
        let text = utf8.withMemoryRebound(to: UInt8.self) { String(validating: $0, as: UTF8.self) }
        guard let text else { throw RuleStateSnapshotError(.invalidUTF8, at: start) }
        position += length
        return text
    }

    func expectEnd() throws(RuleStateSnapshotError) {
        guard remaining == 0 else { throw RuleStateSnapshotError(.trailingBytes, at: offset) }
    }
}
