/// Walks the '/'-separated levels of a topic or id as byte ranges, without allocating.
///
/// Topic templates and filters run on every message, so they scan the UTF-8 bytes directly
/// rather than going through String's index machinery.
struct LevelScanner {
    let bytes: UnsafeBufferPointer<UInt8>
    private var start = 0
    private var done = false

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    /// Where `level`, one of the levels this scanner returned, lies in the whole text.
    func offset(of level: UnsafeBufferPointer<UInt8>) -> Range<Int> {
        let start = bytes.baseAddress.map { level.baseAddress! - $0 } ?? 0
        return start..<(start + level.count)
    }

    /// The next level, or nil after the last. "a//b" has an empty middle level; "" has one empty level.
    @inline(__always)
    mutating func next() -> UnsafeBufferPointer<UInt8>? {
        guard !done else { return nil }
        var end = start
        while end < bytes.count && bytes[end] != UInt8(ascii: "/") { end += 1 }
        let level = UnsafeBufferPointer(rebasing: bytes[start..<end])
        if end == bytes.count { done = true } else { start = end + 1 }
        return level
    }
}

extension UnsafeBufferPointer<UInt8> {
    @inline(__always)
    func hasSameBytes(as other: [UInt8]) -> Bool {
        guard count == other.count else { return false }
        for index in 0..<count where self[index] != other[index] { return false }
        return true
    }
}

extension String {
    /// Runs `body` on the string's UTF-8 bytes, in place when they are stored contiguously
    /// (always, for native Swift strings).
    @inline(__always)
    func withUTF8Bytes<Result>(_ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        if let result = utf8.withContiguousStorageIfAvailable(body) { return result }
        var copy = self
        return copy.withUTF8(body)
    }
}
