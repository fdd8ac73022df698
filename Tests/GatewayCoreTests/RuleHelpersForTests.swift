import Testing

@testable import GatewayCore

// Shared by the Rule*Tests suites: rules in one line, a mock clock in minutes, and readable checks
// on the actions an engine returns.

/// What the Rule*Tests suites share: a mock clock in minutes of one test day, and rules in one line.
protocol RuleTesting {}

/// 2026-11-26T00:00:00Z, the day the tests happen on, in epoch ms.
let ruleTestDay: Int64 = 1_795_651_200_000

extension RuleTesting {
    /// `minutes` after midnight UTC on the test day (negative: the day before).
    func minute(_ minutes: Double) -> Timestamp {
        Timestamp(milliseconds: ruleTestDay + Int64(minutes * 60_000))
    }

    /// `hours:minutes` UTC on the test day.
    func clock(_ hours: Int, _ minutes: Int = 0) -> Timestamp {
        minute(Double(hours * 60 + minutes))
    }

    /// A rule named "r".
    func rule(
        _ when: RuleCondition, sensors: String = "#", metric: String = "flow", threshold: Double? = nil,
        clear: Double? = nil, for duration: Duration? = nil, during: String? = nil, severity: AlertSeverity = .major
    ) -> RuleConfig {
        rule(
            "r", when, sensors: sensors, metric: metric, threshold: threshold, clear: clear, for: duration,
            during: during, severity: severity)
    }

    func rule(
        _ name: String, _ when: RuleCondition, sensors: String = "#", metric: String = "flow",
        threshold: Double? = nil, clear: Double? = nil, for duration: Duration? = nil, during: String? = nil,
        severity: AlertSeverity = .major
    ) -> RuleConfig {
        RuleConfig(
            name: name, sensors: try! TopicFilter(sensors), metric: metric, when: when, threshold: threshold,
            clear: clear, duration: duration, during: during.map { TimeOfDayRange(parsing: $0)! }, severity: severity)
    }
}

/// A rule engine fed in the tests' words.
struct RuleBench: RuleTesting {
    var engine: RuleEngine

    init(_ rules: RuleConfig..., zone: any LocalTimeZone = FixedOffsetZone.utc) {
        engine = RuleEngine(rules: rules, zone: zone)
    }

    init(rules: [RuleConfig], zone: any LocalTimeZone = FixedOffsetZone.utc, restoring state: RuleEngineState? = nil) {
        engine = RuleEngine(rules: rules, zone: zone, restoring: state)
    }

    @discardableResult
    mutating func read(
        _ value: Double, at time: Timestamp, sensor: String = "fes/water/meter-1", metric: String = "flow"
    ) -> [RuleAction] {
        engine.observe(Reading(sensor: sensor, metric: metric, time: time, value: value))
    }

    /// Readings `every` minutes from `start`, one per value; all the actions they caused.
    @discardableResult
    mutating func read(
        _ values: [Double], from start: Double, every step: Double = 1, sensor: String = "fes/water/meter-1",
        metric: String = "flow"
    ) -> [RuleAction] {
        values.enumerated().flatMap { offset, value in
            read(value, at: minute(start + Double(offset) * step), sensor: sensor, metric: metric)
        }
    }

    @discardableResult
    mutating func tick(_ time: Timestamp) -> [RuleAction] {
        engine.tick(now: time)
    }

    /// Ticks once a minute from `start` through `end` (minutes); all the actions.
    @discardableResult
    mutating func tick(minutes start: Double, through end: Double) -> [RuleAction] {
        stride(from: start, through: end, by: 1).flatMap { engine.tick(now: minute($0)) }
    }
}

extension [RuleAction] {
    var raises: [AlertEvent] {
        compactMap { if case .raise(let event) = $0 { event } else { nil } }
    }

    var clears: [AlertEvent] {
        compactMap { if case .clear(let event) = $0 { event } else { nil } }
    }

    /// "raise r fes/water/meter-1 @3" style lines: the minute after midnight UTC of the test day.
    var summary: [String] {
        map { action in
            let event = action.event
            let word = event.state == .raised ? "raise" : "clear"
            let minutes = Double(event.at.milliseconds - ruleTestDay) / 60_000
            let when = minutes == minutes.rounded() ? "\(Int(minutes))" : "\(minutes)"
            return "\(word) \(event.rule) \(event.sensor) @\(when)"
        }
    }
}
