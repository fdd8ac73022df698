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
        try writeMakingRoom { state in
            try queue.write { db in
                var report = CommitReport()
                _ = try insert(readings, deadLetters, in: db, &state, &report)
                return report
            }
        }
    }

    /// Stores readings and dead letters, and what the rules and windows derive from them, in one
    /// transaction: a restart finds a reading together with the alerts and aggregates it caused,
    /// or neither.
    ///
    /// `derive` is called once the readings are in, with those that were new, in input order
    /// (duplicates and invalid values left out: a redelivered batch gives `[]`), and with
    /// `StoredAggregates` to read the aggregates a late reading revises. The records it returns
    /// are inserted in the same transaction (alert events and aggregates already stored are
    /// ignored), and the windows' watermark is saved when set.
    ///
    /// `derive` must not keep `StoredAggregates` nor call the writer. It may run more than once:
    /// a commit that hits `max_size` is rolled back, makes room and runs again. So it should work
    /// on a copy of the engines' state and the caller adopt that copy only once `commit` returns.
    ///
    /// - Throws: what `derive` throws, or as `commit(readings:deadLetters:)`; nothing of the
    ///   group is stored then, readings included.
    @discardableResult
    public func commit(
        readings: [Reading],
        deadLetters: [DeadLetter] = [],
        derive: ([Reading], StoredAggregates) throws -> DerivedRecords
    ) throws -> CommitReport {
        try writeMakingRoom { state in
            try queue.write { db in
                var report = CommitReport()
                let skipped = try insert(readings, deadLetters, in: db, &state, &report)
                let records = try derive(Self.newReadings(readings, skipping: skipped), StoredAggregates(db))
                try records.insert(in: db, report: &report)
                return report
            }
        }
    }

    /// Stores what the rules and windows derived from the clock alone (a `silent` alert, windows
    /// closing), in one transaction. Records already stored are ignored and not counted.
    @discardableResult
    public func commit(derived: DerivedRecords) throws -> CommitReport {
        try writeMakingRoom { state in
            try queue.write { db in
                var report = CommitReport()
                try derived.insert(in: db, report: &report)
                return report
            }
        }
    }

    /// Runs one write under the lock; if the database is full, evicts the oldest rows and runs
    /// it once more.
    func writeMakingRoom(_ write: (inout WriterState) throws -> CommitReport) throws -> CommitReport {
        try state.withLock { state in
            try prepare(&state)
            do {
                return try write(&state)
            } catch let error as DatabaseError where error.resultCode == .SQLITE_FULL {
                state.isStale = true
                return try writeAfterEvicting(write, &state)
            } catch {
                state.isStale = true
                throw error
            }
        }
    }

    /// Eviction bursts a commit may make before it gives up: a batch larger than the room one burst
    /// makes (1,000 messages of 100-record SenML packs, 100,000 readings) gets another fifth of
    /// the buffer each time, rather than failing and being redelivered for ever.
    static let evictionRounds = 4

    private func writeAfterEvicting(_ write: (inout WriterState) throws -> CommitReport, _ state: inout WriterState) throws -> CommitReport {
        do {
            try state.reload(from: queue)
            let budgetBefore = budgetPages
            try refreshBudget()
            // The filesystem has room again: the budget grew, and the first try evicts nothing.
            let budgetGrew = budgetPages > budgetBefore
            // SQLITE_FULL below the budget's low mark is a filesystem that filled faster than the
            // budget followed it: a fifth of what is in use makes room (freed pages are reused).
            let filesystemFull = try usedPages() <= EvictionMarks.low(budgetPages: budgetPages)
            var evicted = Evicted()
            for round in 1...Self.evictionRounds {
                if round > 1 || !budgetGrew {
                    let used = try usedPages()
                    let low = EvictionMarks.low(budgetPages: budgetPages)
                    let burst = try evictOldest(downTo: used <= low ? EvictionMarks.low(budgetPages: used) : low, &state)
                    logEviction(burst, during: "a commit", filesystemFull: filesystemFull || budgetPages < configuredBudgetPages)
                    evicted.readings += burst.readings
                    evicted.aggregates += burst.aggregates
                    evicted.alerts += burst.alerts
                }
                do {
                    var report = try write(&state)
                    report.readingsEvicted = evicted.readings
                    report.aggregatesEvicted = evicted.aggregates
                    report.alertsEvicted = evicted.alerts
                    return report
                } catch let error as DatabaseError where error.resultCode == .SQLITE_FULL && round < Self.evictionRounds {
                    try state.reload(from: queue)
                }
            }
            throw StoreError.full(path: settings.path, maxSize: settings.maxSize)
        } catch let error as DatabaseError where error.resultCode == .SQLITE_FULL {
            state.isStale = true
            throw StoreError.full(path: settings.path, maxSize: settings.maxSize)
        } catch {
            state.isStale = true
            throw error
        }
    }

    /// Inserts the readings and dead letters in the caller's transaction: the hot path. Returns
    /// the input positions of the readings not stored (invalid or duplicate), ascending; empty
    /// when every reading was new.
    private func insert(
        _ readings: [Reading], _ deadLetters: [DeadLetter], in db: Database,
        _ state: inout WriterState, _ report: inout CommitReport
    ) throws -> [Int] {
        var inserter = try ReadingInserter(db)
        var invalid: [Int] = []
        for (input, reading) in readings.enumerated() {
            // SQLite would store NaN as NULL, and the row would be silently ignored.
            guard reading.value.isFinite else {
                report.invalid += 1
                invalid.append(input)
                continue
            }
            let slot = try state.series.slot(sensor: reading.sensor, metric: reading.metric)
                ?? state.series.insert(sensor: reading.sensor, metric: reading.metric, in: db)
            let row = ReadingInserter.Row(
                input: input, slot: slot, series: state.series.entries[slot].id,
                time: reading.time.milliseconds, value: reading.value
            )
            try inserter.add(row, state: &state, report: &report)
        }
        try inserter.finish(state: &state, report: &report)
        if inserter.oldestStored != .max {
            try state.arrivals.committed(oldest: inserter.oldestStored, in: db)
        }
        try BufferCounter.duplicateReadings.add(report.duplicates, in: db)
        try BufferCounter.invalidReadings.add(report.invalid, in: db)
        report.deadLetters = deadLetters.count
        report.deadLettersEvicted = try DeadLetterTable.insert(deadLetters, limit: settings.deadLetterLimit, in: db)

        guard !invalid.isEmpty || !inserter.duplicateInputs.isEmpty else { return [] }
        return (invalid + inserter.duplicateInputs).sorted()
    }

    /// `readings` without the positions in `skipped` (ascending). With nothing skipped, the
    /// array itself, not a copy.
    static func newReadings(_ readings: [Reading], skipping skipped: [Int]) -> [Reading] {
        guard !skipped.isEmpty else { return readings }
        var kept: [Reading] = []
        kept.reserveCapacity(readings.count - skipped.count)
        var next = 0
        for (input, reading) in readings.enumerated() {
            if next < skipped.count && skipped[next] == input {
                next += 1
            } else {
                kept.append(reading)
            }
        }
        return kept
    }
}
