import GatewayCore
import GatewayStore
import Logging

/// Restart: the rules from their snapshot plus the readings stored after it, the windows from
/// their watermark plus the readings since it.
extension ReadingPipeline {
    struct Restored {
        var state: State
        /// How many stored readings went through the rules again.
        var rulesReplayed: Int
    }

    static func restore(config: GatewayConfig, zone: any LocalTimeZone, writer: BufferWriter, now: Timestamp, logger: Logger) throws -> Restored {
        var clock = PipelineClock(window: config.aggregate.window, grace: config.aggregate.grace, idleAfter: .seconds(15) + config.aggregate.grace)
        let (rules, alerts, replayed) = try restoreRules(config: config, zone: zone, writer: writer, clock: &clock, now: now, logger: logger)

        let watermark = try writer.windowsClosedBefore()
        var windows = WindowAggregator(window: config.aggregate.window, grace: config.aggregate.grace, closedBefore: watermark)
        if let watermark {
            try writer.readings(since: watermark) { reading in
                clock.observe(reading.time, wall: now)
                // Readings before the watermark come back `.late`: they are already in stored aggregates.
                _ = windows.add(reading, now: watermark)
            }
        }
        // A backlog queued at the broker while the gateway was down may be about to arrive: until
        // it does (or the clock sees no batch for a while), time is the buffer's latest reading.
        clock.touch(wall: now)
        var state = State(rules: rules, windows: windows, storedWatermark: watermark, clock: clock)
        let clockNow = clock.now(wall: now)
        // Events re-derived here were stored with their readings; the store ignores them again.
        var derived = DerivedRecords(alerts: events(alerts))
        derived.alerts += events(state.rules.tick(now: clockNow))
        if state.windowsHaveATime {
            derived.aggregates = try aggregates(state.windows.tick(now: clockNow), state: &state, stored: nil)
            derived.windowsClosedBefore = state.windows.closedBefore
        }
        try writer.commit(derived: derived)
        state.storedWatermark = derived.windowsClosedBefore
        logger.info("rules and windows restored", metadata: [
            "rules.active_alerts": "\(state.rules.activeAlerts.count)", "rules.replayed": "\(replayed)",
            "windows.open": "\(state.windows.openWindows)",
            "windows.closed_before": "\(state.storedWatermark?.rfc3339 ?? "-")",
        ])
        return Restored(state: state, rulesReplayed: replayed)
    }

    /// The rule engine from its snapshot, then the readings stored after it. With no rules the
    /// snapshot is still read (its active alerts are cleared at the first tick), but the readings
    /// are not: there is nothing to judge them by, and only the clock needs the newest of them.
    private static func restoreRules(
        config: GatewayConfig, zone: any LocalTimeZone, writer: BufferWriter, clock: inout PipelineClock, now: Timestamp,
        logger: Logger
    ) throws -> (rules: RuleEngine, alerts: [RuleAction], replayed: Int) {
        var saved: RuleEngineState?
        var throughArrival: Int64 = 0
        if let stored = try writer.rulesSnapshot() {
            do {
                saved = try RuleEngineState(snapshot: stored.snapshot)
                throughArrival = stored.throughArrival
            } catch {
                // An older release's snapshot or a damaged one: start the rules afresh.
                logger.warning("rule state snapshot unreadable; rules start afresh", metadata: ["error": "\(error)"])
            }
        }
        var rules = RuleEngine(rules: config.rules, zone: zone, restoring: saved)
        guard !config.rules.isEmpty else {
            if let latest = try writer.latestReadingTime(afterArrival: throughArrival) { clock.observe(latest, wall: now) }
            return (rules, [], 0)
        }
        var alerts: [RuleAction] = []
        var replayed = 0
        try writer.readings(afterArrival: throughArrival) { reading in
            clock.observe(reading.time, wall: now)
            alerts += rules.observe(reading)
            replayed += 1
        }
        return (rules, alerts, replayed)
    }
}
