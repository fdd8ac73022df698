import GRDB
import GRDBSQLite
import GatewayCore
import Glibc

/// Each series' mean per time bucket over a recent span: the small trend `status` draws.
public struct Trends: Sendable, Equatable {
    /// Where the means came from.
    public enum Source: String, Sendable {
        /// The windows' aggregates (the latest revision of each): cheap, what `status` prefers.
        case aggregates
        /// Raw readings, when the span has no aggregate yet; at most `BufferReader.trendReadingLimit`
        /// of the newest.
        case readings
        /// Neither: the span holds no data.
        case none
    }

    public struct Key: Sendable, Hashable {
        public var sensor: String
        public var metric: String

        public init(sensor: String, metric: String) {
            self.sensor = sensor
            self.metric = metric
        }
    }

    /// The start of the first bucket.
    public var start: Timestamp
    public var bucketMilliseconds: Int64
    public var buckets: Int
    public var source: Source
    /// The mean of each bucket, oldest first, nil where the series had no data; series without
    /// any data in the span are absent.
    public var means: [Key: [Double?]]

    public init(start: Timestamp, bucketMilliseconds: Int64, buckets: Int, source: Source, means: [Key: [Double?]]) {
        self.start = start
        self.bucketMilliseconds = bucketMilliseconds
        self.buckets = buckets
        self.source = source
        self.means = means
    }

    public func means(sensor: String, metric: String) -> [Double?]? {
        means[Key(sensor: sensor, metric: metric)]
    }
}

extension BufferReader {
    /// The most raw readings the fallback of `trends` reads.
    public static let trendReadingLimit = 100_000

    /// The mean of every series in each of `buckets` buckets of `bucketMilliseconds`, from `start`.
    ///
    /// One query over the aggregates that start in the span, taking the latest revision of each
    /// window; a bucket's mean is the sum of its windows' sums over the sum of their counts, so it
    /// weighs every reading alike. Only when the span has no aggregate at all (windows not closed
    /// yet, a buffer from before aggregates) does it read raw readings, the newest
    /// `trendReadingLimit` of the span at most.
    public func trends(start: Timestamp, bucketMilliseconds: Int64, buckets: Int) throws -> Trends {
        precondition(bucketMilliseconds > 0 && buckets > 0)
        let end = start.milliseconds + bucketMilliseconds * Int64(buckets)
        let arguments: StatementArguments = [start.milliseconds, bucketMilliseconds, end]
        return try queue.read { db in
            var means: [Trends.Key: [Double?]] = [:]
            func add(_ key: Trends.Key, bucket: Int, sum: Double, count: Int64) {
                guard count > 0, bucket >= 0, bucket < buckets else { return }
                means[key, default: Array(repeating: nil, count: buckets)][bucket] = sum / Double(count)
            }

            if hasOutboxes {
                means = try aggregateMeans(db, start: start.milliseconds, end: end, bucketMilliseconds: bucketMilliseconds, buckets: buckets)
                if !means.isEmpty {
                    return Trends(start: start, bucketMilliseconds: bucketMilliseconds, buckets: buckets, source: .aggregates, means: means)
                }
            }

            var series: [Int64: Trends.Key] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT id, sensor, metric FROM series") {
                series[row[0]] = Trends.Key(sensor: row[1], metric: row[2])
            }
            let rows = try Row.fetchCursor(db, sql: """
                SELECT series, (t - ?1) / ?2 AS bucket, sum(value), count(*)
                FROM (SELECT series, t, value FROM reading WHERE t >= ?1 AND t < ?3 ORDER BY t DESC LIMIT ?4)
                GROUP BY series, bucket
                """, arguments: arguments + [Self.trendReadingLimit])
            while let row = try rows.next() {
                guard let key = series[row[0]] else { continue }
                add(key, bucket: row[1], sum: row[2], count: row[3])
            }
            return Trends(
                start: start, bucketMilliseconds: bucketMilliseconds, buckets: buckets,
                source: means.isEmpty ? .none : .readings, means: means
            )
        }
    }

    /// Reads the span's aggregates in the order of their unique index — (start, window_s, sensor,
    /// metric, rev) — so the revisions of a window come one after another, the latest last, and
    /// each simply replaces the one before it. The index answers both the range and the order, so
    /// SQLite neither sorts nor groups: on 10,000 series an hour of one-minute windows is 600,000
    /// rows, and grouping them by their text keys in SQL (a temporary B-tree) cost four times the
    /// scan. Rows are read through SQLite's C API, and `SeriesSlots` finds each row's series
    /// mostly without making a string.
    private func aggregateMeans(
        _ db: Database, start: Int64, end: Int64, bucketMilliseconds: Int64, buckets: Int
    ) throws -> [Trends.Key: [Double?]] {
        let statement = try db.makeStatement(sql: """
            SELECT sensor, metric, start, window_s, sum, count FROM aggregate
            WHERE start >= ? AND start < ?
            ORDER BY start, window_s, sensor, metric, rev
            """)
        let handle = statement.sqliteStatement
        sqlite3_bind_int64(handle, 1, start)
        sqlite3_bind_int64(handle, 2, end)
        defer { sqlite3_reset(handle) }

        var series = SeriesSlots()
        var sums: [Double] = []
        var counts: [Int64] = []
        // The previous row: a row of the same window and series revises it.
        var previous: AggregateRow?
        while true {
            let code = sqlite3_step(handle)
            if code == SQLITE_DONE { break }
            guard code == SQLITE_ROW else {
                throw DatabaseError(resultCode: ResultCode(rawValue: code), message: db.lastErrorMessage, sql: statement.sql)
            }
            let windowStart = sqlite3_column_int64(handle, 2)
            let window = sqlite3_column_int64(handle, 3)
            if windowStart != previous?.start || window != previous?.window {
                series.startWindow()
            }
            let slot = series.slot(sensor: Self.bytes(handle, 0), metric: Self.bytes(handle, 1))
            if slot * buckets >= sums.count {
                sums.append(contentsOf: repeatElement(0, count: buckets))
                counts.append(contentsOf: repeatElement(0, count: buckets))
            }
            if let last = previous, last.start == windowStart, last.window == window, last.slot == slot {
                sums[last.cell] -= last.sum
                counts[last.cell] -= last.count
            }
            let sum = sqlite3_column_double(handle, 4)
            let count = sqlite3_column_int64(handle, 5)
            let cell = slot * buckets + Int((windowStart - start) / bucketMilliseconds)
            sums[cell] += sum
            counts[cell] += count
            previous = AggregateRow(start: windowStart, window: window, slot: slot, cell: cell, sum: sum, count: count)
        }

        var means: [Trends.Key: [Double?]] = [:]
        means.reserveCapacity(series.keys.count)
        for (slot, key) in series.keys.enumerated() {
            means[key] = (0..<buckets).map { bucket in
                let cell = slot * buckets + bucket
                return counts[cell] > 0 ? sums[cell] / Double(counts[cell]) : nil
            }
        }
        return means
    }

    /// The text of a column, valid until the next step.
    private static func bytes(_ handle: SQLiteStatement, _ column: Int32) -> UnsafeBufferPointer<UInt8> {
        guard let text = sqlite3_column_text(handle, column) else { return UnsafeBufferPointer(start: nil, count: 0) }
        return UnsafeBufferPointer(start: text, count: Int(sqlite3_column_bytes(handle, column)))
    }
}

/// One row of the scan, as added to its bucket.
private struct AggregateRow {
    var start: Int64
    var window: Int64
    var slot: Int
    var cell: Int
    var sum: Double
    var count: Int64
}

/// Numbers the series met in a scan of aggregates, window by window.
///
/// Within a window the rows come in (sensor, metric) order, so a window usually lists the same
/// series in the same order as the one before. Each row is first compared, byte for byte, with the
/// series that came next in the previous window; only on a miss (a series new or silent in this
/// window, a revision) is a string made and looked up.
private struct SeriesSlots {
    /// Every series met, by slot.
    private(set) var keys: [Trends.Key] = []
    /// `sensor`, a NUL, `metric`, by slot (MQTT topics, hence sensor ids and metrics, hold no NUL).
    private var names: [[UInt8]] = []
    private var slots: [Trends.Key: Int] = [:]
    private var previousWindow: [Int] = []
    private var currentWindow: [Int] = []
    /// Where each slot came in the previous window, -1 when it did not.
    private var positionInPrevious: [Int] = []
    /// The position in the previous window of the series expected next.
    private var next = 0

    mutating func startWindow() {
        for slot in previousWindow { positionInPrevious[slot] = -1 }
        swap(&previousWindow, &currentWindow)
        currentWindow.removeAll(keepingCapacity: true)
        for (position, slot) in previousWindow.enumerated() { positionInPrevious[slot] = position }
        next = 0
    }

    mutating func slot(sensor: UnsafeBufferPointer<UInt8>, metric: UnsafeBufferPointer<UInt8>) -> Int {
        let slot: Int
        if next < previousWindow.count, matches(previousWindow[next], sensor, metric) {
            slot = previousWindow[next]
        } else {
            slot = lookUp(sensor, metric)
        }
        if positionInPrevious[slot] >= 0 { next = positionInPrevious[slot] + 1 }
        currentWindow.append(slot)
        return slot
    }

    private func matches(_ slot: Int, _ sensor: UnsafeBufferPointer<UInt8>, _ metric: UnsafeBufferPointer<UInt8>) -> Bool {
        names[slot].withUnsafeBufferPointer { name in
            name.count == sensor.count + 1 + metric.count
                && name[sensor.count] == 0
                && (sensor.isEmpty || memcmp(name.baseAddress!, sensor.baseAddress!, sensor.count) == 0)
                && (metric.isEmpty || memcmp(name.baseAddress! + sensor.count + 1, metric.baseAddress!, metric.count) == 0)
        }
    }

    private mutating func lookUp(_ sensor: UnsafeBufferPointer<UInt8>, _ metric: UnsafeBufferPointer<UInt8>) -> Int {
        let key = Trends.Key(sensor: String(decoding: sensor, as: UTF8.self), metric: String(decoding: metric, as: UTF8.self))
        if let known = slots[key] { return known }
        let slot = keys.count
        slots[key] = slot
        keys.append(key)
        names.append(Array(sensor) + [0] + Array(metric))
        positionInPrevious.append(-1)
        return slot
    }
}
