/// A growable array that never moves what it holds: storage comes in segments of doubling size,
/// so growing copies nothing and frees nothing.
///
/// For the engine's per-series state on a 1 GB board: an `Array` that doubles from 2 MB to 4 MB
/// holds both for the copy, and leaves the freed 2 MB in the heap, resident, for a long time. Here
/// the first segment holds 1024 elements and each next one twice the last, so at most the newest
/// segment is partly empty, and its untouched pages cost nothing. Indexing is a shift and a
/// leading-zero count. Blocks of a power-of-two length up to 1024 never straddle two segments.
struct SegmentedArray<Element: Sendable>: Sendable {
    private static var firstShift: Int { 10 }

    private var segments: [[Element]] = []
    private(set) var count = 0

    var indices: Range<Int> { 0..<count }

    subscript(index: Int) -> Element {
        @inline(__always) get {
            let (segment, offset) = Self.locate(index)
            return segments[segment][offset]
        }
        @inline(__always) set {
            let (segment, offset) = Self.locate(index)
            segments[segment][offset] = newValue
        }
    }

    mutating func append(_ element: Element) {
        let (segment, _) = Self.locate(count)
        if segment == segments.count { addSegment() }
        segments[segment].append(element)
        count += 1
    }

    /// Appends `count` copies of `element`, a segment's worth at a time.
    mutating func append(_ element: Element, count copies: Int) {
        var remaining = copies
        while remaining > 0 {
            let (segment, offset) = Self.locate(count)
            if segment == segments.count { addSegment() }
            let batch = min(remaining, (1 << (Self.firstShift + segment)) - offset)
            segments[segment].append(contentsOf: repeatElement(element, count: batch))
            count += batch
            remaining -= batch
        }
    }

    private mutating func addSegment() {
        var storage: [Element] = []
        storage.reserveCapacity(1 << (Self.firstShift + segments.count))
        segments.append(storage)
    }

    /// Runs `body` on `count` elements from `start`, which must lie in one segment (a block of a
    /// power-of-two length up to 1024, aligned to its length, does).
    func withBlock<Result>(from start: Int, count: Int, _ body: (UnsafeBufferPointer<Element>) -> Result) -> Result {
        let (segment, offset) = Self.locate(start)
        return segments[segment].withUnsafeBufferPointer { all in
            body(UnsafeBufferPointer(rebasing: all[offset..<(offset + count)]))
        }
    }

    /// As `withBlock(from:count:_:)`, to change the elements.
    mutating func withMutableBlock<Result>(
        from start: Int, count: Int, _ body: (UnsafeMutableBufferPointer<Element>) -> Result
    ) -> Result {
        let (segment, offset) = Self.locate(start)
        return segments[segment].withUnsafeMutableBufferPointer {
            body(UnsafeMutableBufferPointer(rebasing: $0[offset..<(offset + count)]))
        }
    }

    /// Segment k holds the indices from 1024 · (2ᵏ − 1) up to 1024 · (2ᵏ⁺¹ − 1).
    @inline(__always)
    private static func locate(_ index: Int) -> (segment: Int, offset: Int) {
        let position = (index >> firstShift) + 1
        let segment = Int.bitWidth - 1 - position.leadingZeroBitCount
        return (segment, index - (((1 << segment) - 1) << firstShift))
    }
}
