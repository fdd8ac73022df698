import GatewayCore
import GatewayStore
import Logging
import Synchronization

/// Rules and windows, live: turns each stored batch of readings into alert events and aggregates,
/// stored in the same transaction as the readings.
///
/// Only readings that were new to the buffer reach the rules and windows — a batch redelivered
/// after a crash is not counted twice. The rule engine and the window aggregator are value-type
/// state machines behind one lock: batches from several sources and the clock's ticks take turns.
///
/// Restart: the windows' watermark is stored with every transaction that moves it, and the rule
/// engine's state is snapshotted, with the id of the last reading it had seen, every few minutes
/// and soon after a start that had to re-read readings. `restore` re-feeds the buffer from those
/// points, so open windows are rebuilt exactly, a restart neither raises an alert a second time
/// nor forgets one, and what re-deriving produces again is ignored by the store's unique keys
/// (`ReadingPipeline+Restore.swift`).
public final class ReadingPipeline: Sendable {
    struct State {
        var rules: RuleEngine
        var windows: WindowAggregator
        var storedWatermark: Timestamp?
        var clock: PipelineClock
        var lateReadings = 0

        /// Whether the windows may close by the clock. A buffer that has never held a reading has
        /// no time of its own yet: the first batch sets it, live or a backlog the broker queued
        /// before this gateway's first start. Closing windows by the wall clock before that would
        /// make every reading of such a backlog late, each batch a revision.
        var windowsHaveATime: Bool {
            storedWatermark != nil || clock.eventTime != nil
        }
    }

    private let writer: BufferWriter
    private let clock: any WallClock
    private let logger: Logger
    private let state: Mutex<State>
    /// Whether restoring fed readings to the rules again: then the saved rule state is behind, and
    /// a snapshot soon after start spares the next start (after a SIGKILL, say) that replay.
    let rulesReplayedReadings: Bool

    init(config: GatewayConfig, zone: any LocalTimeZone, writer: BufferWriter, clock: any WallClock, logger: Logger) throws {
        self.writer = writer
        self.clock = clock
        self.logger = logger
        let restored = try Self.restore(config: config, zone: zone, writer: writer, now: clock.now(), logger: logger)
        state = Mutex(restored.state)
        rulesReplayedReadings = restored.rulesReplayed > 0
    }

    /// Readings stored per transaction at most. A transaction's pages all sit in the WAL until it
    /// commits, and the WAL has a quarter of `max_size` (1 MiB at the least) beside the evictions
    /// that make room: 10,000 readings write about 0.3 MB. A batch of 1,000 SenML packs of 100
    /// records, in one transaction, took a 16 MiB buffer's files to 17.6 MB.
    static let readingsPerTransaction = 10_000

    /// Stores a batch and what it derives, in transactions of at most `readingsPerTransaction`
    /// readings; runs on a source's loop thread. The caller acknowledges the batch's messages only
    /// after this returns, so a batch cut short by a crash is delivered again, and what was
    /// already stored is ignored as duplicates.
    @discardableResult
    func store(readings: [Reading], deadLetters: [DeadLetter]) throws -> CommitReport {
        guard readings.count > Self.readingsPerTransaction else {
            return try storeInOneTransaction(readings: readings, deadLetters: deadLetters)
        }
        var total = try storeInOneTransaction(readings: Array(readings.prefix(Self.readingsPerTransaction)), deadLetters: deadLetters)
        for start in stride(from: Self.readingsPerTransaction, to: readings.count, by: Self.readingsPerTransaction) {
            let end = min(start + Self.readingsPerTransaction, readings.count)
            total.add(try storeInOneTransaction(readings: Array(readings[start..<end]), deadLetters: []))
        }
        return total
    }

    private func storeInOneTransaction(readings: [Reading], deadLetters: [DeadLetter]) throws -> CommitReport {
        let wall = clock.now()
        let (report, derived) = try state.withLock { state -> (CommitReport, DerivedRecords) in
            var computed: DerivedRecords?
            let report = try writer.commit(readings: readings, deadLetters: deadLetters) { newReadings, stored in
                // The store runs this again after making room when the disk budget was hit; the
                // readings were already fed to the state machines the first time.
                if let computed { return computed }
                let derived = try Self.derive(newReadings, wall: wall, state: &state, stored: stored)
                computed = derived
                return derived
            }
            let derived = computed ?? DerivedRecords()
            if let watermark = derived.windowsClosedBefore { state.storedWatermark = watermark }
            return (report, derived)
        }
        log(derived)
        return report
    }

    /// The clock's part: `silent` sensors, hold times, windows falling due.
    func tick() throws {
        let wall = clock.now()
        let derived = try state.withLock { state -> DerivedRecords in
            let now = state.clock.now(wall: wall)
            var derived = DerivedRecords(alerts: Self.events(state.rules.tick(now: now)))
            if state.windowsHaveATime {
                derived.aggregates = try Self.aggregates(state.windows.tick(now: now), state: &state, stored: nil)
                if state.windows.closedBefore != state.storedWatermark {
                    derived.windowsClosedBefore = state.windows.closedBefore
                }
            }
            guard !derived.isEmpty else { return derived }
            try writer.commit(derived: derived)
            if let watermark = derived.windowsClosedBefore { state.storedWatermark = watermark }
            return derived
        }
        log(derived)
    }

    /// Saves the rule engine's state with the arrival number of the last reading it has seen.
    func snapshotRules() throws {
        // Written under the lock, straight from the engine, with the last reading it has seen:
        // copying its state out first took as long, and held all of it in memory at once.
        let (snapshot, throughArrival) = try state.withLock { state in
            (state.rules.snapshot(), try writer.latestArrival())
        }
        try writer.saveRulesSnapshot(snapshot, throughArrival: throughArrival)
    }

    var activeAlerts: [AlertEvent] {
        state.withLock { $0.rules.activeAlerts }
    }

    // MARK: - Deriving

    private static func derive(_ readings: [Reading], wall: Timestamp, state: inout State, stored: StoredAggregates?) throws -> DerivedRecords {
        var actions: [RuleAction] = []
        var windowActions: [WindowAction] = []
        state.clock.touch(wall: wall)
        for reading in readings {
            state.clock.observe(reading.time, wall: wall)
            actions += state.rules.observe(reading)
            let produced = state.windows.add(reading, now: state.clock.now(wall: wall))
            // A closing window emits every series at once (50,000 aggregates with 10,000 sensors):
            // taken over rather than copied when it is the first, as it nearly always is.
            if windowActions.isEmpty {
                windowActions = produced
            } else {
                windowActions += produced
            }
        }
        var derived = DerivedRecords(alerts: events(actions))
        derived.aggregates = try aggregates(windowActions, state: &state, stored: stored)
        if state.windows.closedBefore != state.storedWatermark {
            derived.windowsClosedBefore = state.windows.closedBefore
        }
        return derived
    }

    static func events(_ actions: [RuleAction]) -> [AlertEvent] {
        actions.map { action in
            switch action {
            case .raise(let event), .clear(let event): event
            }
        }
    }

    /// Closed windows as they are; late readings merged into the stored aggregate with `rev` + 1.
    static func aggregates(_ actions: [WindowAction], state: inout State, stored: StoredAggregates?) throws -> [Aggregate] {
        var result: [Aggregate] = []
        result.reserveCapacity(actions.count)
        let hasLate = actions.contains { if case .late = $0 { true } else { false } }
        guard hasLate else {
            for case .emit(let aggregate) in actions { result.append(aggregate) }
            return result
        }
        // Late readings of one window in one call make one revision, not one each. A window this
        // call emits is not stored yet, so `stored` cannot see it: a reading of it that comes late
        // in the same call (the batch that arrives after its close time, where the first reading
        // closes it) joins the emitted aggregate, rather than making a second rev 0 that the
        // store would ignore.
        var revisions: [Aggregate.Key: Int] = [:]
        for action in actions {
            switch action {
            case .emit(let aggregate):
                revisions[Aggregate.Key(sensor: aggregate.sensor, metric: aggregate.metric, start: aggregate.start)] = result.count
                result.append(aggregate)
            case .late(let reading, let windowStart):
                state.lateReadings += 1
                let key = Aggregate.Key(sensor: reading.sensor, metric: reading.metric, start: windowStart)
                if let index = revisions[key] {
                    result[index] = result[index].adding(reading)
                    continue
                }
                let previous = try stored?.latest(
                    sensor: reading.sensor, metric: reading.metric, start: windowStart,
                    windowSeconds: state.windows.windowSeconds
                )
                revisions[key] = result.count
                result.append(state.windows.revision(of: previous, adding: reading))
            }
        }
        return result
    }

    private func log(_ derived: DerivedRecords) {
        for event in derived.alerts {
            let metadata: Logger.Metadata = [
                "alert.rule": "\(event.rule)", "alert.sensor": "\(event.sensor)", "alert.metric": "\(event.metric)",
                "alert.severity": "\(event.severity.rawValue)", "alert.value": "\(event.value.map { "\($0)" } ?? "-")",
                "alert.id": "\(event.id)",
            ]
            switch event.state {
            case .raised: logger.warning("alert raised", metadata: metadata)
            case .cleared: logger.notice("alert cleared", metadata: metadata)
            }
        }
        for aggregate in derived.aggregates where aggregate.rev > 0 {
            logger.info("late reading revised an aggregate", metadata: [
                "aggregate.sensor": "\(aggregate.sensor)", "aggregate.metric": "\(aggregate.metric)",
                "aggregate.start": "\(aggregate.start.rfc3339)", "aggregate.rev": "\(aggregate.rev)",
            ])
        }
    }
}

extension DerivedRecords {
    var isEmpty: Bool { alerts.isEmpty && aggregates.isEmpty && windowsClosedBefore == nil }
}
