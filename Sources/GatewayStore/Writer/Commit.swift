import GRDB
import GatewayCore
import Logging
import Synchronization

extension BufferWriter {
    /// Stores readings and dead letters in one transaction. The caller acknowledges the messages
    /// they came from only after this returns.
    ///
    /// A reading whose sensor, metric and time are already stored is ignored and counted as a
    /// duplicate; one whose value is not finite is refused and counted as invalid. If the
    /// database is full, the oldest readings are evicted and the commit is retried once.
    ///
    /// - Throws: `StoreError.full` if it still does not fit, `StoreError.closed`, or the
    ///   SQLite error. Nothing of the group is stored then.
    @discardableResult
    public func commit(readings: [Reading], deadLetters: [DeadLetter] = []) throws -> CommitReport {
        try state.withLock { state in
            try prepare(&state)
            do {
                return try write(readings, deadLetters, &state)
            } catch let error as DatabaseError where error.resultCode == .SQLITE_FULL {
                state.isStale = true
                return try commitAfterEvicting(readings, deadLetters, &state)
            } catch {
                state.isStale = true
                throw error
            }
        }
    }

    private func commitAfterEvicting(_ readings: [Reading], _ deadLetters: [DeadLetter], _ state: inout WriterState) throws -> CommitReport {
        do {
            try state.reload(from: queue)
            let evicted = try evictOldestReadings(downTo: EvictionMarks.low(budgetPages: budgetPages), &state)
            logEviction(evicted, during: "a commit")
            var report = try write(readings, deadLetters, &state)
            report.readingsEvicted = evicted
            return report
        } catch let error as DatabaseError where error.resultCode == .SQLITE_FULL {
            state.isStale = true
            throw StoreError.full(path: settings.path, maxSize: settings.maxSize)
        } catch {
            state.isStale = true
            throw error
        }
    }

    /// The transaction itself: the hot path.
    private func write(_ readings: [Reading], _ deadLetters: [DeadLetter], _ state: inout WriterState) throws -> CommitReport {
        try queue.write { db in
            var report = CommitReport()
            var inserter = try ReadingInserter(db)
            for reading in readings {
                // SQLite would store NaN as NULL, and the row would be silently ignored.
                guard reading.value.isFinite else {
                    report.invalid += 1
                    continue
                }
                let slot = try state.series.slot(sensor: reading.sensor, metric: reading.metric)
                    ?? state.series.insert(sensor: reading.sensor, metric: reading.metric, in: db)
                let row = ReadingInserter.Row(
                    slot: slot, series: state.series.entries[slot].id, time: reading.time.milliseconds, value: reading.value
                )
                try inserter.add(row, state: &state, report: &report)
            }
            try inserter.finish(state: &state, report: &report)
            try BufferCounter.duplicateReadings.add(report.duplicates, in: db)
            try BufferCounter.invalidReadings.add(report.invalid, in: db)
            report.deadLetters = deadLetters.count
            report.deadLettersEvicted = try DeadLetterTable.insert(deadLetters, limit: settings.deadLetterLimit, in: db)
            return report
        }
    }
}
