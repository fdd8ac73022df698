/// Tumbling, clock-aligned windows per series (sensor and metric): count, min, max, sum, mean and
/// last of each window, emitted once the window's grace has passed, and revised by late readings.
///
/// A value-type state machine: its methods take the time and return `WindowAction`s, which the
/// service carries out (store, send, count). Live, `now` is the wall clock; in replay, the recorded
/// times. Period, delay and grace follow telegraf's running aggregator, with windows aligned to the
/// epoch rather than to the start of the process.
///
/// ## Windows
/// A reading goes to a window by its own time, not by when it arrived: the window `[s, s + w)` with
/// `s = floor(t / w) * w` (rounded down before 1970 too), so a reading exactly on a boundary belongs
/// to the window that starts there. With `w` dividing 24h, each UTC midnight starts a window.
/// A window closes when `now >= s + w + grace`, by `tick(now:)` or by an `add` whose `now` has
/// passed it; windows close in (start, sensor, metric) order and leave memory as they close. A
/// reading from the future simply opens its window, which stays open until its own close time.
///
/// ## Late readings
/// A reading whose window has already closed is returned as `.late`. The service counts it, loads
/// the stored aggregate and stores and sends `revision(of:adding:)`: the same key with `rev` + 1,
/// so a hub that upserts on the key stays right.
///
/// ## The watermark, `closedBefore`
/// Every window starting before `closedBefore` is closed: emitted, or it had no readings. It is the
/// first window start not yet due, `floor((now - w - grace) / w) * w + w` for the greatest `now`
/// seen, and it only moves forward. Since all series share the same boundaries and `tick` closes
/// every due window of every series at once, no open window ever starts before it; lateness is
/// just `start < closedBefore`. `closeAll()` moves it past the last window it closes.
///
/// ## Restart
/// Aggregates stay exact across a restart in the middle of a window, with nothing but the buffer:
/// 1. Persist `closedBefore` whenever it moves, in the same transaction as the aggregates that
///    the same call emitted or revised (a restart then neither re-emits a stored window nor misses
///    one).
/// 2. After a restart, create `WindowAggregator(window:grace:closedBefore: storedWatermark)` and
///    re-feed, in arrival order (ties on time go to the later arrival), every buffered reading with
///    `time >= storedWatermark` through `add(_:now:)` with `now: storedWatermark`, not the current
///    time: at that `now` nothing is due yet, so every window is rebuilt whole, including those
///    whose close time passed while the gateway was down. (With the current time, the first `add`
///    would close them and the rest of their readings would be `.late`.)
/// 3. Then `tick(now:)` with the current time emits the windows that fell due meanwhile, as an
///    uninterrupted run would have.
/// Readings before the watermark were already merged into stored aggregates; re-fed anyway, they
/// come back `.late` and the rebuild ignores them.
///
/// ## Cost
/// `add` is O(1) amortised: one hash of the sensor id to find the series number
/// (`SeriesDirectory`), then one of that number in its window. Open windows are kept sorted by start
/// (there are a handful: the current window, the previous one during its grace, and any from the
/// future), so `tick` is one comparison when nothing is due, and otherwise proportional to the
/// windows it closes. Memory is about 60 bytes per open (series, window), see `OpenWindow`, plus
/// 32 per series and one string per sensor in the directory.
public struct WindowAggregator: Sendable {
    private let grid: WindowGrid
    /// Open windows, ascending by start: the order in which they close.
    private var open: [OpenWindow] = []
    private var directory = SeriesDirectory()
    private var watermark: Int64
    /// The size of the last window closed: the window the clock is in usually holds the same
    /// series, so it is sized up front rather than grown by copying. (Only that one: a window
    /// opened by a device whose clock is off starts small.)
    private var expectedSeries = 0
    private var order = EmissionOrder()

    /// - Parameters:
    ///   - window: whole seconds, from 1s to 24h, dividing 24h (as `AggregateConfig` checks).
    ///   - grace: how long after its end a window still takes readings.
    ///   - closedBefore: after a restart, the stored watermark: windows starting before it are closed
    ///     and stored, and their readings are `.late`. A time between boundaries counts the window it
    ///     falls in as closed. Nil: nothing has been closed yet.
    public init(window: Duration, grace: Duration, closedBefore: Timestamp? = nil) {
        let grid = WindowGrid(window: window, grace: grace)
        self.grid = grid
        watermark = closedBefore.map { grid.boundary(atOrAfter: $0.milliseconds) } ?? grid.beforeEveryWindow
    }

    /// The window length in seconds, as aggregates carry it.
    public var windowSeconds: Int { grid.windowSeconds }

    /// The number of open (series, window) pairs.
    public var openWindows: Int {
        open.reduce(0) { $0 + $1.count }
    }

    /// How many series the open windows and the window closed last hold between them.
    var knownSeries: Int { directory.count }

    /// The start of the earliest window still open, or nil.
    public var earliestOpenStart: Timestamp? {
        open.first.map { Timestamp(milliseconds: $0.start) }
    }

    /// Every window starting before this has been closed (emitted, or it had no readings). Before
    /// anything closed, a time before year 1.
    public var closedBefore: Timestamp {
        Timestamp(milliseconds: watermark)
    }

    /// The start of the window that holds `time`.
    public func windowStart(of time: Timestamp) -> Timestamp {
        Timestamp(milliseconds: grid.start(of: time.milliseconds))
    }

    /// Adds `reading` to its window by its own time, after closing whatever `now` has made due.
    /// A reading whose window is already closed comes back as `.late`.
    public mutating func add(_ reading: Reading, now: Timestamp) -> [WindowAction] {
        var actions = tick(now: now)
        let start = grid.start(of: reading.time.milliseconds)
        guard start >= watermark else {
            actions.append(.late(reading, windowStart: Timestamp(milliseconds: start)))
            return actions
        }
        let number = directory.number(sensor: reading.sensor, metric: reading.metric, inWindowStarting: start)
        let index = openWindowIndex(start: start, now: now)
        open[index].add(reading, series: number)
        return actions
    }

    /// Closes every window whose `end + grace <= now`, in (start, sensor, metric) order.
    public mutating func tick(now: Timestamp) -> [WindowAction] {
        let now = grid.clampedClock(now.milliseconds)
        // Every open window starts at or after the watermark, so none closes before this one would.
        guard now >= grid.closeTime(ofWindowStartingAt: watermark) else { return [] }
        watermark = grid.firstStartNotDue(at: now)
        return closeWindows(startingBefore: watermark)
    }

    /// Closes every open window, due or not: the end of a replay file, or a shutdown that wants to
    /// send partial windows. The watermark moves past the last window closed, so readings that
    /// arrive for those windows afterwards are `.late` and revise them.
    public mutating func closeAll() -> [WindowAction] {
        guard let last = open.last else { return [] }
        watermark = Swift.max(watermark, last.start + grid.length)
        return closeWindows(startingBefore: watermark)
    }

    /// What to store and send for a `.late` reading: `stored` (the aggregate of its window and
    /// series) with the reading merged in and `rev` + 1; or, when that series had no reading in the
    /// window, a new aggregate of the reading alone at `rev` 0.
    public func revision(of stored: Aggregate?, adding late: Reading) -> Aggregate {
        guard let stored else {
            return Aggregate(first: late, start: windowStart(of: late.time), windowSeconds: grid.windowSeconds)
        }
        var revised = stored.adding(late)
        revised.rev = stored.rev + 1
        return revised
    }

    /// The index in `open` of the window starting at `start`, opened if need be.
    private mutating func openWindowIndex(start: Int64, now: Timestamp) -> Int {
        // Nearly always the newest window: search from the end.
        var index = open.endIndex
        while index > open.startIndex, open[index - 1].start >= start {
            if open[index - 1].start == start { return index - 1 }
            index -= 1
        }
        let capacity = start == grid.start(of: now.milliseconds) ? expectedSeries : 0
        open.insert(OpenWindow(start: start, expectedSeries: capacity), at: index)
        return index
    }

    private mutating func closeWindows(startingBefore bound: Int64) -> [WindowAction] {
        let due = open.prefix { $0.start < bound }.count
        guard due > 0 else { return [] }
        var actions: [WindowAction] = []
        // Sized once: an action is over 100 bytes, and a closing window may hold 50,000 series.
        actions.reserveCapacity(open[..<due].reduce(0) { $0 + $1.count })
        for window in open[..<due] {
            expectedSeries = window.count
            let startTime = Timestamp(milliseconds: window.start)
            for slot in order.arrange(window, names: directory) {
                let number = window.series[slot]
                let aggregate = Aggregate(
                    sensor: directory.sensor(of: number), metric: directory.metric(of: number), start: startTime,
                    windowSeconds: grid.windowSeconds, tally: window.tallies[slot], rev: 0)
                actions.append(.emit(aggregate))
            }
        }
        // Series in no open window and not in the window just closed (which `order` keeps) are done.
        directory.forget(seriesNewestBefore: open[due - 1].start)
        open.removeFirst(due)
        return actions
    }
}
