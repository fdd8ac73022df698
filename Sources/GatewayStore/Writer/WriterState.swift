import GRDB
import GatewayCore

/// What the writer keeps in memory between transactions.
///
/// Everything here can be rebuilt from disk (`load`): the unflushed totals from the readings above
/// the last flush. So a failed transaction only marks the state stale, and the next call reloads
/// it rather than undoing changes one by one.
struct WriterState: Sendable {
    var series: SeriesCache
    var arrivals: ArrivalMarks
    var lastStatsFlush: Timestamp?
    var isStale = false
    var isClosed = false

    static func load(_ db: Database) throws -> WriterState {
        try WriterState(
            series: SeriesCache.load(db),
            arrivals: ArrivalMarks.load(db)
        )
    }

    mutating func reload(from queue: DatabaseQueue) throws {
        let fresh = try queue.read { db in try WriterState.load(db) }
        series = fresh.series
        arrivals = fresh.arrivals
        isStale = false
    }

    /// Writes the totals of every series that changed since the last flush, all stamped with the
    /// last commit's arrival number. Called inside the caller's transaction.
    @discardableResult
    mutating func flushStats(_ db: Database) throws -> Bool {
        guard series.hasDirtyEntries else { return false }
        let upsert = try db.cachedStatement(sql: """
            INSERT INTO series_stats (series, last_t, last_value, count, through_arrival)
            VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (series) DO UPDATE SET
                last_t = excluded.last_t, last_value = excluded.last_value,
                count = excluded.count, through_arrival = excluded.through_arrival
            """)
        let through = try arrivals.statsFlushed(in: db)
        for entry in series.dirtyEntries {
            try upsert.execute(arguments: [
                entry.id, entry.totals.lastTime, entry.totals.lastValue, entry.totals.count, through,
            ])
        }
        series.markClean()
        return true
    }
}
