/// Runs the configured rules and windows over recorded readings, with the recorded times as the
/// clock, and says what the gateway would have sent: alert events and aggregate batches, as the
/// uplink's JSON, one object a line.
///
/// The same `RuleEngine` and `WindowAggregator` run live; only the clock differs. The clock is the
/// latest reading time seen so far (a file out of order does not move it back). Before each reading,
/// rules and windows are ticked to its time, so `silent` and hold times fire at reading times: in
/// a sparse file they fire at the next reading after they fell due. At the end every open window is
/// closed. A late reading (for a window already closed) revises that window's aggregate with `rev`
/// + 1, as live.
public struct ReplaySession {
    private let gateway: String
    private var rules: RuleEngine
    private var windows: WindowAggregator
    private var now = Timestamp(milliseconds: .min)
    private var sequence = 0
    /// Aggregates already printed, for late revisions: a replay runs over a file, not forever.
    private var emitted: [Aggregate.Key: Aggregate] = [:]
    public private(set) var lateReadings = 0

    public init(config: GatewayConfig, zone: any LocalTimeZone) {
        gateway = config.gateway.id
        rules = RuleEngine(rules: config.rules, zone: zone)
        windows = WindowAggregator(window: config.aggregate.window, grace: config.aggregate.grace)
    }

    /// The JSON lines that `reading` causes, alerts before aggregates.
    public mutating func feed(_ reading: Reading) -> [String] {
        if reading.time > now { now = reading.time }
        var alerts = rules.tick(now: now)
        var windowActions = windows.tick(now: now)
        alerts += rules.observe(reading)
        windowActions += windows.add(reading, now: now)
        return lines(alerts: alerts, windowActions: windowActions)
    }

    /// Closes every open window: the lines that ends the replay with.
    public mutating func finish() -> [String] {
        lines(alerts: [], windowActions: windows.closeAll())
    }

    private mutating func lines(alerts: [RuleAction], windowActions: [WindowAction]) -> [String] {
        var output = alerts.map { action in
            switch action {
            case .raise(let event), .clear(let event): UplinkPayloads.alert(event, gateway: gateway)
            }
        }
        var aggregates: [Aggregate] = []
        for action in windowActions {
            switch action {
            case .emit(let aggregate):
                emitted[aggregate.key] = aggregate
                aggregates.append(aggregate)
            case .late(let reading, let windowStart):
                lateReadings += 1
                let key = Aggregate.Key(sensor: reading.sensor, metric: reading.metric, start: windowStart)
                let revised = windows.revision(of: emitted[key], adding: reading)
                emitted[key] = revised
                aggregates.append(revised)
            }
        }
        if !aggregates.isEmpty {
            sequence += 1
            output.append(UplinkPayloads.aggregateBatch(aggregates, gateway: gateway, seq: sequence, historical: false))
        }
        return output
    }
}
