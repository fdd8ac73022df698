/// The `outlier` detector: a causal Hampel identifier over each series' last 32 readings.
///
/// A reading is judged against the window of the readings before it: it lies
/// |x − median| / max(1.4826 · MAD, resolution) robust deviations away, and the rule compares that
/// with its `threshold`. Then the reading joins the window, replacing the oldest.
///
/// Choosing the threshold: 3.5 is the classic cut for a whole data set (Iglewicz & Hoaglin 1993),
/// but a scale estimated from 32 readings is itself uncertain, so on plain Gaussian noise 3.5 flags
/// about 1 reading in 200 and 5 about 1 in 7,000. Start at 5 and tune with `replay`.
///
/// Why this method (Hampel 1974; Davies & Gather 1993; Pearson 2002, "Outliers in process modeling
/// and identification"; Liu, Shah & Jiang 2004 for the on-line form):
/// - **Robust.** The median and the MAD have a 50% breakdown point: spikes in the window do not
///   drag the centre or inflate the scale, so one spike does not hide the next (the masking that
///   makes mean ± k·σ and EWMA detectors miss clustered outliers).
/// - **Adapts to level shifts.** Outliers are kept in the window (not replaced by the median, as a
///   filter would), so when a sensor's baseline moves, the new level is the majority after 17
///   readings and alerting stops by itself: one alert for the shift, then quiet. Streaming
///   quantile estimators over all history (P², Jain & Chlamtac 1985) never forget the old level;
///   stochastic-approximation medians need a step size in the data's own units.
/// - **No tuning per sensor.** Scale-free: the threshold means the same for litres and decibels.
///   Real data is often quantised (0.1 °C, whole percent) or constant for long stretches, where the
///   MAD is 0; the scale is floored at the window's resolution, the smallest gap between two
///   different values in it, so one reporting step is one deviation. A window of identical values
///   has no scale: only a different value is an outlier, and it always is.
/// - **Exact and cheap.** The window is kept sorted (with each value's arrival number, to find the
///   oldest), so the median is read directly, the MAD is a merge of the two halves up to their
///   middle, and an update moves at most 32 values: tens of nanoseconds whatever the data.
///
/// Memory is what a 1 GB board with 10,000 sensors can afford: 170 bytes a window. Values are kept
/// as `Float` offsets from an anchor near the window's median, so their precision follows the
/// data's scale, not its magnitude (a meter at 1,234,567.8 keeps its tenths); the anchor moves to
/// the median when the level has drifted far from it, and a reading is judged in the same offsets.
///
/// Warm-up: no verdict until the window is full (32 readings), so a new sensor is not judged
/// against a handful of values. Windows live in segmented arrays, one fixed block each, so that
/// 10,000 sensors cost no allocation per window.
struct HampelWindows: Sendable {
    /// Readings per window; also the warm-up.
    static let capacity = 32
    /// The anchor moves to the median once that is this many robust deviations away from it, long
    /// before `Float`'s 24 bits blur the scale.
    static let anchorDrift = 1_000.0

    /// `capacity` offsets per window, the first `counts[window]` ascending.
    private var offsets = SegmentedArray<Float>()
    /// The arrival number (mod 256) of the offset beside it, to find the oldest.
    private var arrivals = SegmentedArray<UInt8>()
    private var counts = SegmentedArray<UInt8>()
    private var nextArrivals = SegmentedArray<UInt8>()
    private var anchors = SegmentedArray<Double>()

    var count: Int { counts.count }

    /// A new, empty window; its number.
    mutating func makeWindow() -> Int32 {
        let window = Int32(counts.count)
        offsets.append(0, count: Self.capacity)
        arrivals.append(0, count: Self.capacity)
        counts.append(0)
        nextArrivals.append(0)
        anchors.append(.nan)
        return window
    }

    /// How many robust deviations `x` lies from the window's readings (nil while it warms up);
    /// then `x` joins the window, replacing the oldest reading once it is full.
    mutating func judge(_ x: Double, in window: Int32) -> Double? {
        if anchors[Int(window)].isNaN { anchors[Int(window)] = x }
        var verdict: Double?
        if Int(counts[Int(window)]) == Self.capacity {
            let (median, scale) = withSorted(window, RobustScale.centreAndScale)
            verdict = RobustScale.deviations(of: Double(Float(x - anchors[Int(window)])), median: median, scale: scale)
            if median.magnitude > Self.anchorDrift * scale {
                reanchor(window, at: anchors[Int(window)] + median)
            }
        }
        var offset = Float(x - anchors[Int(window)])
        if !offset.isFinite {
            reanchor(window, at: x)
            offset = 0
        }
        insert(offset: offset, into: window)
        return verdict
    }

    /// How many robust deviations `x` lies from the window's readings; nil while it warms up.
    func deviations(of x: Double, in window: Int32) -> Double? {
        guard Int(counts[Int(window)]) == Self.capacity else { return nil }
        let offset = Double(Float(x - anchors[Int(window)]))
        return withSorted(window) { RobustScale.deviations(of: offset, in: $0) }
    }

    private func withSorted<Result>(_ window: Int32, _ body: (UnsafeBufferPointer<Float>) -> Result) -> Result {
        offsets.withBlock(from: Int(window) * Self.capacity, count: Int(counts[Int(window)]), body)
    }

    private mutating func insert(offset: Float, into window: Int32) {
        let start = Int(window) * Self.capacity
        var count = Int(counts[Int(window)])
        let arrival = nextArrivals[Int(window)]
        offsets.withMutableBlock(from: start, count: Self.capacity) { sorted in
            arrivals.withMutableBlock(from: start, count: Self.capacity) { order in
                if count == Self.capacity {
                    // Arrival numbers in a full window are the last 32 mod 256, so the oldest is unique.
                    let oldest = arrival &- UInt8(Self.capacity)
                    var position = 0
                    while order[position] != oldest { position += 1 }
                    for index in position..<(count - 1) {
                        sorted[index] = sorted[index + 1]
                        order[index] = order[index + 1]
                    }
                    count -= 1
                }
                var low = 0
                var high = count
                while low < high {
                    let middle = (low + high) / 2
                    if sorted[middle] <= offset { low = middle + 1 } else { high = middle }
                }
                var index = count
                while index > low {
                    sorted[index] = sorted[index - 1]
                    order[index] = order[index - 1]
                    index -= 1
                }
                sorted[low] = offset
                order[low] = arrival
                count += 1
            }
        }
        counts[Int(window)] = UInt8(count)
        nextArrivals[Int(window)] = arrival &+ 1
    }

    /// Re-expresses the window around `anchor`. Rounding is monotonic, so the order and any equal
    /// values survive.
    private mutating func reanchor(_ window: Int32, at anchor: Double) {
        let start = Int(window) * Self.capacity
        let shift = anchors[Int(window)] - anchor
        for index in start..<(start + Int(counts[Int(window)])) {
            offsets[index] = Float(Double(offsets[index]) + shift)
        }
        anchors[Int(window)] = anchor
    }

    /// The window as a restart needs it: the anchor and the offsets, oldest first.
    func saved(_ window: Int32) -> SavedWindow? {
        let start = Int(window) * Self.capacity
        let count = Int(counts[Int(window)])
        guard count > 0 else { return nil }
        let next = nextArrivals[Int(window)]
        let aged = (start..<(start + count)).map { (age: next &- arrivals[$0], offset: offsets[$0]) }
        return SavedWindow(anchor: anchors[Int(window)], offsets: aged.sorted { $0.age > $1.age }.map(\.offset))
    }

    /// The window's readings, oldest first.
    func readings(in window: Int32) -> [Double] {
        guard let saved = saved(window) else { return [] }
        return saved.offsets.map { saved.anchor + Double($0) }
    }

    /// Refills a new, empty window from `saved(_:)`: the offsets in arrival order, each placed as
    /// `insert` would (after equal ones), in one pass over the block rather than one call each.
    mutating func restore(_ saved: SavedWindow, into window: Int32) {
        guard saved.anchor.isFinite, counts[Int(window)] == 0 else { return }
        anchors[Int(window)] = saved.anchor
        let start = Int(window) * Self.capacity
        var count = 0
        offsets.withMutableBlock(from: start, count: Self.capacity) { sorted in
            arrivals.withMutableBlock(from: start, count: Self.capacity) { order in
                for offset in saved.offsets.suffix(Self.capacity) where offset.isFinite {
                    var index = count
                    while index > 0 && sorted[index - 1] > offset {
                        sorted[index] = sorted[index - 1]
                        order[index] = order[index - 1]
                        index -= 1
                    }
                    sorted[index] = offset
                    order[index] = UInt8(count)
                    count += 1
                }
            }
        }
        counts[Int(window)] = UInt8(count)
        nextArrivals[Int(window)] = UInt8(count)
    }
}

/// An outlier window in the saved state: compact, and restored exactly.
struct SavedWindow: Sendable, Equatable {
    var anchor: Double
    /// Oldest first.
    var offsets: [Float]
}
