/// Strict UTF-8 (RFC 3629): no overlong forms, no surrogates (U+D800…U+DFFF), nothing above
/// U+10FFFF, no stray continuation bytes.
enum UTF8Validation {
    /// The length of the valid sequence that starts at `index`, or nil when it is invalid or cut
    /// short. The byte at `index` must be 0x80 or above.
    @inline(__always)
    static func sequenceLength(_ bytes: UnsafePointer<UInt8>, at index: Int, count: Int) -> Int? {
        let lead = bytes[index]
        @inline(__always) func continuation(_ offset: Int, _ range: ClosedRange<UInt8> = 0x80...0xBF) -> Bool {
            index + offset < count && range.contains(bytes[index + offset])
        }
        switch lead {
        case 0xC2...0xDF:
            return continuation(1) ? 2 : nil
        case 0xE0:
            return continuation(1, 0xA0...0xBF) && continuation(2) ? 3 : nil
        case 0xE1...0xEC, 0xEE...0xEF:
            return continuation(1) && continuation(2) ? 3 : nil
        case 0xED:
            return continuation(1, 0x80...0x9F) && continuation(2) ? 3 : nil
        case 0xF0:
            return continuation(1, 0x90...0xBF) && continuation(2) && continuation(3) ? 4 : nil
        case 0xF1...0xF3:
            return continuation(1) && continuation(2) && continuation(3) ? 4 : nil
        case 0xF4:
            return continuation(1, 0x80...0x8F) && continuation(2) && continuation(3) ? 4 : nil
        default:
            return nil
        }
    }

    /// The offset of the first byte that is not valid UTF-8, or nil when all of it is.
    static func firstInvalidOffset(_ bytes: UnsafeRawBufferPointer) -> Int? {
        guard let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return nil }
        let count = bytes.count
        var index = 0
        while index < count {
            if base[index] < 0x80 {
                index += 1
            } else if let length = sequenceLength(base, at: index, count: count) {
                index += length
            } else {
                return index
            }
        }
        return nil
    }
}
