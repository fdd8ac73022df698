import GRDB
import GatewayCore

/// What the writer keeps in memory between transactions.
///
/// Everything here can be rebuilt from disk (`load`): the unflushed totals from the readings above
/// the last flush. So a failed transaction only marks the state stale, and the next call reloads
/// it rather than undoing changes one by one.
struct WriterState: Sendable {
    var series: SeriesCache
    /// The highest reading id ever inserted. That row is never deleted, so SQLite never hands its
    /// id (or a lower one) out again and `through_reading` stays a valid watermark.
    var lastReadingID: Int64
    var lastStatsFlush: Timestamp?
    var isStale = false
    var isClosed = false

    static func load(_ db: Database) throws -> WriterState {
        try WriterState(
            series: SeriesCache.load(db),
            lastReadingID: Int64.fetchOne(db, sql: "SELECT max(id) FROM reading") ?? 0
        )
    }

    mutating func reload(from queue: DatabaseQueue) throws {
        let fresh = try queue.read { db in try WriterState.load(db) }
        series = fresh.series
        lastReadingID = fresh.lastReadingID
        isStale = false
    }

    /// Writes the totals of every series that changed since the last flush, all stamped with the
    /// current highest reading id. Called inside the caller's transaction.
    @discardableResult
    mutating func flushStats(_ db: Database) throws -> Bool {
        guard series.hasDirtyEntries else { return false }
        let upsert = try db.cachedStatement(sql: """
            INSERT INTO series_stats (series, last_t, last_value, count, through_reading)
            VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (series) DO UPDATE SET
                last_t = excluded.last_t, last_value = excluded.last_value,
                count = excluded.count, through_reading = excluded.through_reading
            """)
        for entry in series.dirtyEntries {
            try upsert.execute(arguments: [
                entry.id, entry.totals.lastTime, entry.totals.lastValue, entry.totals.count, lastReadingID,
            ])
        }
        series.markClean()
        return true
    }
}
