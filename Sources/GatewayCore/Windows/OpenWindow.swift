/// One open window: the running tally of each series with readings in it, side by side in the
/// order the series first reported, found by series number (`SeriesDirectory`).
///
/// A series costs 60 bytes here (its tally, its number, and its entry in the index) instead of a
/// dictionary entry keyed by two strings: a window of 50,000 series takes about 3.5 MB, not 14.
struct OpenWindow: Sendable {
    let start: Int64
    private(set) var tallies: [WindowTally] = []
    /// The series number of each tally.
    private(set) var series: [UInt32] = []
    /// Series number → index in `tallies`.
    private var slots: [UInt32: UInt32]

    /// - Parameter expectedSeries: how many series it will likely hold, so that it is sized once
    ///   rather than grown by copying.
    init(start: Int64, expectedSeries: Int) {
        self.start = start
        tallies.reserveCapacity(expectedSeries)
        series.reserveCapacity(expectedSeries)
        slots = Dictionary(minimumCapacity: expectedSeries)
    }

    var count: Int { tallies.count }

    /// Where series `number` is in `tallies`, if it has readings in this window.
    func slot(of number: UInt32) -> Int? {
        slots[number].map(Int.init)
    }

    mutating func add(_ reading: Reading, series number: UInt32) {
        if let slot = slots[number] {
            tallies[Int(slot)].add(reading)
            return
        }
        slots[number] = UInt32(tallies.count)
        var tally = WindowTally()
        tally.add(reading)
        tallies.append(tally)
        series.append(number)
    }
}
