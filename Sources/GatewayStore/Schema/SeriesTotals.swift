import GRDB

/// What is known of one series: how many readings were accepted, and the latest one by time.
///
/// `count` counts every reading ever accepted, including those since deleted by retention or
/// eviction (each deletion is counted separately in `counter`).
struct SeriesTotals: Sendable, Equatable {
    var count: Int64 = 0
    var lastTime: Int64 = .min
    var lastValue: Double = 0

    /// Takes an accepted reading into account. Readings are recorded in arrival order, so on equal
    /// times the later one wins (equal times cannot happen within a series: the natural key is unique).
    mutating func record(time: Int64, value: Double) {
        count += 1
        if time >= lastTime {
            lastTime = time
            lastValue = value
        }
    }

    /// Adds figures for readings that arrived after those already included.
    mutating func add(later other: SeriesTotals) {
        guard other.count > 0 else { return }
        count += other.count
        if other.lastTime >= lastTime {
            lastTime = other.lastTime
            lastValue = other.lastValue
        }
    }
}

/// Exact per-series figures from disk: `series_stats` as last flushed, plus the readings inserted
/// since (the "tail": arrival numbers above the highest `through_arrival`).
///
/// The writer flushes every dirty series at once and in the same transaction as any deletion, so
/// a series' readings above its own `through_arrival` are all above the highest one, and no
/// reading in the tail has been deleted. The tail is found through the time key from its floor
/// (`ArrivalMarks`) and bounded by the flush interval, so this stays cheap however large the
/// buffer grows, including after a SIGKILL.
enum SeriesTotalsQuery {
    struct Result {
        var totals: [Int64: SeriesTotals]
        /// Series whose tail is not yet in `series_stats`.
        var unflushed: Set<Int64>
    }

    static func fetch(_ db: Database) throws -> Result {
        var totals: [Int64: SeriesTotals] = [:]
        // One row per series, 50,000 with 10,000 sensors: read column by column (`RawRow`).
        try RawRow.forEach(in: db, sql: "SELECT count(*) FROM series_stats") { row in
            totals.reserveCapacity(Int(row.int64(0)))
        }
        try RawRow.forEach(in: db, sql: """
            SELECT series, last_t, last_value, count FROM series_stats
            """) { row in
            totals[row.int64(0)] = SeriesTotals(
                count: row.int64(3),
                lastTime: row.isNull(1) ? .min : row.int64(1),
                lastValue: row.isNull(2) ? 0 : row.double(2)
            )
        }

        var unflushed: Set<Int64> = []
        // With one max() aggregate, SQLite takes the bare `value` from the row holding the max.
        let tail: String
        let arguments: [Int64]
        if try db.columns(in: "reading").contains(where: { $0.name == "arrival" }) {
            let marks = try ArrivalMarks.Stored.load(db)
            tail = "SELECT series, count(*), max(t), value FROM reading WHERE t >= ? AND arrival > ? GROUP BY series"
            arguments = [marks.statsFloor, marks.statsThrough]
        } else {
            // A buffer not yet migrated to v4 (read by `status` before the daemon restarted): the
            // rowid was the arrival order.
            tail = "SELECT series, count(*), max(t), value FROM reading WHERE id > (SELECT coalesce(max(through_reading), 0) FROM series_stats) GROUP BY series"
            arguments = []
        }
        try RawRow.forEach(in: db, sql: tail, arguments: arguments) { row in
            let series = row.int64(0)
            totals[series, default: SeriesTotals()].add(
                later: SeriesTotals(count: row.int64(1), lastTime: row.int64(2), lastValue: row.double(3)))
            unflushed.insert(series)
        }
        return Result(totals: totals, unflushed: unflushed)
    }
}
