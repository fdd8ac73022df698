/// One closed window of one series: the uplink's aggregate (contract.md, "Aggregate batch") plus
/// what a later revision needs.
///
/// Its key is (sensor, metric, start, windowSeconds), with the gateway id added on the uplink; a
/// revision keeps the key and raises `rev`, so a hub that upserts on the key stays right.
/// `count` is never 0: a window without readings emits nothing.
public struct Aggregate: Sendable, Hashable, Codable {
    public var sensor: String
    public var metric: String
    /// Aligned to the clock: a whole multiple of the window since the epoch (each UTC midnight
    /// starts a window).
    public var start: Timestamp
    /// The window length; windows are whole seconds, from 1s to 24h.
    public var windowSeconds: Int
    public var count: Int
    public var min: Double
    public var max: Double
    /// A plain Double sum (see `WindowTally` for why that is precise enough).
    public var sum: Double
    /// The value of the reading with the greatest time in the window; on a tie, the later arrival.
    public var last: Double
    /// The time of `last`: a late reading replaces `last` only if it is at least as recent. Not
    /// part of the uplink.
    public var lastTime: Timestamp
    /// 0 on first emission, +1 each time a late reading revises the aggregate.
    public var rev: Int

    public var mean: Double { sum / Double(count) }

    public init(
        sensor: String, metric: String, start: Timestamp, windowSeconds: Int, count: Int, min: Double,
        max: Double, sum: Double, last: Double, lastTime: Timestamp, rev: Int
    ) {
        self.sensor = sensor
        self.metric = metric
        self.start = start
        self.windowSeconds = windowSeconds
        self.count = count
        self.min = min
        self.max = max
        self.sum = sum
        self.last = last
        self.lastTime = lastTime
        self.rev = rev
    }

    /// The aggregate of a window that holds only `reading`, with `rev` 0.
    public init(first reading: Reading, start: Timestamp, windowSeconds: Int) {
        var tally = WindowTally()
        tally.add(reading)
        self.init(
            sensor: reading.sensor, metric: reading.metric, start: start, windowSeconds: windowSeconds, tally: tally,
            rev: 0)
    }

    init(sensor: String, metric: String, start: Timestamp, windowSeconds: Int, tally: WindowTally, rev: Int) {
        self.init(
            sensor: sensor, metric: metric, start: start, windowSeconds: windowSeconds,
            count: tally.count, min: tally.min, max: tally.max, sum: tally.sum, last: tally.last,
            lastTime: Timestamp(milliseconds: tally.lastTime), rev: rev)
    }

    /// This aggregate with one more reading merged in, `rev` unchanged (the caller sets it). The
    /// reading is taken as the latest arrival: it becomes `last` if its time is at least `lastTime`.
    public func adding(_ reading: Reading) -> Aggregate {
        var tally = WindowTally(self)
        tally.add(reading)
        var merged = self
        merged.count = tally.count
        merged.min = tally.min
        merged.max = tally.max
        merged.sum = tally.sum
        merged.last = tally.last
        merged.lastTime = Timestamp(milliseconds: tally.lastTime)
        return merged
    }
}

extension Aggregate {
    /// Which window of which series: within one gateway and window size, the uplink's key.
    public struct Key: Sendable, Hashable {
        public var sensor: String
        public var metric: String
        public var start: Timestamp

        public init(sensor: String, metric: String, start: Timestamp) {
            self.sensor = sensor
            self.metric = metric
            self.start = start
        }
    }

    public var key: Key {
        Key(sensor: sensor, metric: metric, start: start)
    }
}
