/// Puts the series of a closing window in emission order (sensor, then metric) without sorting
/// them all every time.
///
/// Consecutive windows hold nearly the same series, so the order of the last window closed is
/// kept: a window's series are picked out in that order, only the newcomers are sorted, and the
/// two runs are merged. Closing a window of 10,000 series costs 10,000 lookups of a number instead
/// of about 130,000 string comparisons; series that stop reporting drop out of the order with the
/// next window.
struct EmissionOrder: Sendable {
    /// The series numbers of the last window closed, in emission order. `SeriesDirectory` gives a
    /// number to a new series only once it was forgotten, which it never is while it is here.
    private var previous: [UInt32] = []

    /// The indices of `window`'s tallies in emission order.
    mutating func arrange(_ window: OpenWindow, names: SeriesDirectory) -> [Int] {
        var placed = [Bool](repeating: false, count: window.count)
        var known: [Int] = []
        known.reserveCapacity(window.count)
        for number in previous {
            guard let slot = window.slot(of: number) else { continue }
            known.append(slot)
            placed[slot] = true
        }
        let precedes = { (left: Int, right: Int) in names.precedes(window.series[left], window.series[right]) }
        let newcomers = window.series.indices.filter { !placed[$0] }.sorted(by: precedes)
        let arranged = newcomers.isEmpty ? known : merge(known, newcomers, by: precedes)
        previous = arranged.map { window.series[$0] }
        return arranged
    }

    private func merge(_ left: [Int], _ right: [Int], by precedes: (Int, Int) -> Bool) -> [Int] {
        var merged: [Int] = []
        merged.reserveCapacity(left.count + right.count)
        var l = left.startIndex
        var r = right.startIndex
        while l < left.endIndex, r < right.endIndex {
            if precedes(right[r], left[l]) {
                merged.append(right[r])
                r += 1
            } else {
                merged.append(left[l])
                l += 1
            }
        }
        merged += left[l...]
        merged += right[r...]
        return merged
    }
}
