/// Median and median absolute deviation of a sorted window, in O(n) and without allocating.
///
/// Windows hold `Float` offsets from an anchor (see `HampelWindows`); the arithmetic is in `Double`.
enum RobustScale {
    /// 1 / Φ⁻¹(3/4): scales the MAD to the standard deviation for normal data (Rousseeuw & Croux 1993).
    static let normalConsistency = 1.4826

    /// How many robust deviations `x` lies from the centre of `sorted` (ascending, not empty):
    /// |x − median| / max(1.4826 · MAD, resolution).
    ///
    /// The resolution (the smallest gap between two different values in the window) floors the
    /// scale, because on quantised or mostly constant data the MAD is 0 or below the step a sensor
    /// can report, and a one-step change would count as a huge deviation. A window of identical
    /// values has no scale at all: the same value is 0 deviations away, any other is infinitely far.
    static func deviations(of x: Double, in sorted: UnsafeBufferPointer<Float>) -> Double {
        let (median, scale) = centreAndScale(of: sorted)
        return deviations(of: x, median: median, scale: scale)
    }

    static func deviations(of x: Double, median: Double, scale: Double) -> Double {
        let distance = (x - median).magnitude
        guard scale > 0 else { return distance == 0 ? 0 : .infinity }
        return distance / scale
    }

    /// The median, and 1.4826 · MAD floored at the resolution.
    static func centreAndScale(of sorted: UnsafeBufferPointer<Float>) -> (median: Double, scale: Double) {
        let median = median(of: sorted)
        let mad = medianAbsoluteDeviation(of: sorted, around: median)
        return (median, max(normalConsistency * mad, resolution(of: sorted)))
    }

    static func median(of sorted: UnsafeBufferPointer<Float>) -> Double {
        let n = sorted.count
        return n % 2 == 1 ? Double(sorted[n / 2]) : (Double(sorted[n / 2 - 1]) + Double(sorted[n / 2])) / 2
    }

    /// The median of |xᵢ − median|. Left of the middle the deviations grow leftwards, right of it
    /// rightwards: two sorted runs, merged only as far as their middle.
    static func medianAbsoluteDeviation(of sorted: UnsafeBufferPointer<Float>, around median: Double) -> Double {
        let n = sorted.count
        var left = n / 2 - 1
        var right = n / 2
        var previous = 0.0
        var current = 0.0
        for _ in 0...(n / 2) {
            previous = current
            let leftDeviation = left >= 0 ? median - Double(sorted[left]) : .infinity
            let rightDeviation = right < n ? Double(sorted[right]) - median : .infinity
            if leftDeviation <= rightDeviation {
                current = leftDeviation
                left -= 1
            } else {
                current = rightDeviation
                right += 1
            }
        }
        return n % 2 == 1 ? current : (previous + current) / 2
    }

    /// The smallest positive gap between neighbours, or 0 when all values are equal.
    static func resolution(of sorted: UnsafeBufferPointer<Float>) -> Double {
        var smallest = Double.infinity
        for index in sorted.indices.dropFirst() {
            let gap = Double(sorted[index]) - Double(sorted[index - 1])
            if gap > 0, gap < smallest { smallest = gap }
        }
        return smallest.isFinite ? smallest : 0
    }
}
