/// Each series' sensor and metric by id, taken from the writer's memory (`SeriesCache.names()`).
///
/// A restart looks one up for every reading it streams back, a million on a first start. Ids come
/// ascending and, as SQLite hands them out, without gaps, so a lookup is a subtraction and one
/// array read rather than a hash probe that misses the cache; with gaps, it is a binary search.
struct SeriesNames {
    /// Ascending.
    private let ids: [Int64]
    private let keys: [SeriesCache.Key]
    private let hasNoGaps: Bool

    init(ids: [Int64], keys: [SeriesCache.Key]) {
        self.ids = ids
        self.keys = keys
        hasNoGaps = ids.last.map { $0 - ids[0] == Int64(ids.count - 1) } ?? true
    }

    subscript(_ id: Int64) -> SeriesCache.Key? {
        guard let first = ids.first else { return nil }
        if hasNoGaps {
            let (slot, overflow) = id.subtractingReportingOverflow(first)
            return !overflow && slot >= 0 && slot < ids.count ? keys[Int(slot)] : nil
        }
        var low = 0
        var high = ids.count
        while low < high {
            let middle = (low + high) / 2
            if ids[middle] < id { low = middle + 1 } else { high = middle }
        }
        return low < ids.count && ids[low] == id ? keys[low] : nil
    }
}
