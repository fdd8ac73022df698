import GRDB
import GatewayCore
import Logging
import Synchronization

extension BufferWriter {
    /// Rows deleted per transaction by retention and eviction: short transactions keep the WAL
    /// small and let the MQTT loop breathe between them.
    static let deletionChunk = 10_000

    /// Housekeeping, every few seconds from the writer's thread: deletes readings older than the
    /// retention, keeps the database under `max_size`, and flushes per-series figures when due.
    /// Every deletion is counted in `counter` and reported.
    ///
    /// - Parameter now: the current time; injected so that tests control it.
    @discardableResult
    public func maintain(now: Timestamp) throws -> MaintenanceReport {
        try state.withLock { state in
            try prepare(&state)
            do {
                var report = MaintenanceReport(budgetBytes: budgetPages * pageSize)
                report.expired = try expireReadings(before: now.milliseconds - settings.retention.wholeMilliseconds, &state)
                if report.expired > 0 {
                    logger.debug("expired readings older than the retention", metadata: ["readings.expired": "\(report.expired)"])
                }
                if try usedPages() > EvictionMarks.high(budgetPages: budgetPages) {
                    report.evicted = try evictOldestReadings(downTo: EvictionMarks.low(budgetPages: budgetPages), &state)
                    logEviction(report.evicted, during: "maintenance")
                }
                if isStatsFlushDue(now: now, state: state) {
                    if state.series.hasDirtyEntries {
                        report.flushedStats = try queue.write { db in try state.flushStats(db) }
                    }
                    state.lastStatsFlush = now
                }
                report.usedBytes = try usedPages() * pageSize
                return report
            } catch {
                state.isStale = true
                throw error
            }
        }
    }

    private func isStatsFlushDue(now: Timestamp, state: WriterState) -> Bool {
        guard let last = state.lastStatsFlush else { return true }
        let elapsed = now.milliseconds - last.milliseconds
        return elapsed >= settings.statsFlushInterval.wholeMilliseconds || elapsed < 0
    }

    /// Deletes readings whose time is before `cutoff`, walking the time index from its head.
    private func expireReadings(before cutoff: Int64, _ state: inout WriterState) throws -> Int {
        var expired = 0
        while true {
            let deleted = try queue.write { db in
                // `+id` keeps the planner on the time index; the newest row is never deleted
                // (see `WriterState.lastReadingID`).
                try db.execute(
                    sql: """
                        DELETE FROM reading WHERE id IN (
                            SELECT id FROM reading WHERE t < ? AND +id <> ? ORDER BY t LIMIT ?)
                        """,
                    arguments: [cutoff, state.lastReadingID, Self.deletionChunk]
                )
                let deleted = db.changesCount
                try BufferCounter.expiredReadings.add(deleted, in: db)
                if deleted > 0 {
                    try state.flushStats(db)  // keeps every deleted row below the flushed watermark
                }
                return deleted
            }
            expired += deleted
            if deleted < Self.deletionChunk { return expired }
        }
    }
}
