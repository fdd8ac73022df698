import GRDB
import GatewayCore
import Logging
import Synchronization

extension BufferWriter {
    /// Rows deleted per transaction by retention and eviction: short transactions keep the WAL
    /// small and let the MQTT loop breathe between them.
    static let deletionChunk = 10_000
    /// The same for the outboxes, whose rows are larger (with their indexes, about 50 bytes a
    /// reading, 130 an aggregate, 210 an alert event): a chunk frees at most ~500 KB, well inside
    /// the smallest buffer's WAL allowance (1 MiB). With 10,000 alert events a chunk, eviction
    /// overran `max_size` on a 4 MiB buffer.
    static let aggregateDeletionChunk = 2_000
    static let alertDeletionChunk = 1_000

    /// Housekeeping, every few seconds from the writer's thread: deletes readings, aggregates and
    /// cleared alerts older than the retention, keeps the database under `max_size`, and flushes
    /// per-series figures when due.
    /// Every deletion is counted in `counter` and reported.
    ///
    /// - Parameter now: the current time; injected so that tests control it.
    @discardableResult
    public func maintain(now: Timestamp) throws -> MaintenanceReport {
        try state.withLock { state in
            try prepare(&state)
            do {
                try refreshBudget()
                var report = MaintenanceReport(budgetBytes: budgetPages * pageSize)
                let cutoff = now.milliseconds - DurationText.milliseconds(of: settings.retention)
                report.expired = try expireReadings(before: cutoff, &state)
                report.expiredAggregates = try expireAggregates(before: cutoff)
                report.expiredAlerts = try expireAlerts(before: cutoff)
                if report.expired + report.expiredAggregates + report.expiredAlerts > 0 {
                    logger.debug("expired what is older than the retention", metadata: [
                        "readings.expired": "\(report.expired)",
                        "aggregates.expired": "\(report.expiredAggregates)",
                        "alerts.expired": "\(report.expiredAlerts)",
                    ])
                }
                if try usedPages() > EvictionMarks.high(budgetPages: budgetPages) {
                    let evicted = try evictOldest(downTo: EvictionMarks.low(budgetPages: budgetPages), &state)
                    report.evicted = evicted.readings
                    report.evictedAggregates = evicted.aggregates
                    report.evictedAlerts = evicted.alerts
                    logEviction(evicted, during: "maintenance", filesystemFull: budgetPages < configuredBudgetPages)
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
        return elapsed >= DurationText.milliseconds(of: settings.statsFlushInterval) || elapsed < 0
    }

    /// Deletes readings whose time is before `cutoff`, from the head of the time key.
    private func expireReadings(before cutoff: Int64, _ state: inout WriterState) throws -> Int {
        var expired = 0
        while true {
            let deleted = try queue.write { db in
                let deleted = try ReadingTable.deleteOldest(limit: Self.deletionChunk, before: cutoff, in: db)
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
