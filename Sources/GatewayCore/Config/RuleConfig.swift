/// One `[[rule]]`: a condition on the readings of some sensors' metric that raises an alert, and
/// clears it once the condition no longer holds.
///
/// Which of `threshold`, `clear` and `duration` apply depends on `when`; the loader has checked
/// that exactly the right ones are set (see `RuleCondition`).
public struct RuleConfig: Sendable, Equatable {
    /// Unique among rules; the first part of every alert id it raises.
    public var name: String
    /// An MQTT-style filter over sensor ids (`+/water/+`); `#` is every sensor.
    public var sensors: TopicFilter
    public var metric: String
    public var when: RuleCondition
    /// above, below: the level; rate: the change per minute; outlier: how many deviations.
    public var threshold: Double?
    /// above, below: the level at which a raised alert clears (hysteresis); nil: the threshold.
    public var clear: Double?
    /// How long the condition must hold before the alert is raised (`for` in the file); required
    /// for flatline (how long the value stays the same) and silent (how long no reading comes).
    public var duration: Duration?
    /// Only in this local time range; nil: all day.
    public var during: TimeOfDayRange?
    public var severity: AlertSeverity

    public init(
        name: String,
        sensors: TopicFilter = RuleConfig.allSensors,
        metric: String,
        when: RuleCondition,
        threshold: Double? = nil,
        clear: Double? = nil,
        duration: Duration? = nil,
        during: TimeOfDayRange? = nil,
        severity: AlertSeverity = .major
    ) {
        self.name = name
        self.sensors = sensors
        self.metric = metric
        self.when = when
        self.threshold = threshold
        self.clear = clear
        self.duration = duration
        self.during = during
        self.severity = severity
    }
}

extension RuleConfig {
    /// `#`, the default `sensors`.
    public static let allSensors = try! TopicFilter("#")
}

/// What a rule watches for (`when`).
public enum RuleCondition: String, Sendable, CaseIterable {
    /// The value rises above `threshold`; clears at or below `clear`.
    case above
    /// The value falls below `threshold`; clears at or above `clear`.
    case below
    /// The value changes faster than `threshold` per minute, either way.
    case rate
    /// The value stays exactly the same for `duration`: a stuck sensor.
    case flatline
    /// No reading arrives for `duration`.
    case silent
    /// The value is more than `threshold` standard deviations from its recent mean.
    case outlier

    /// Whether the condition compares against `threshold`.
    public var takesThreshold: Bool {
        switch self {
        case .above, .below, .rate, .outlier: true
        case .flatline, .silent: false
        }
    }

    /// Whether a separate `clear` level makes sense: only for a level crossed one way.
    public var takesClear: Bool { self == .above || self == .below }

    /// Whether `duration` (`for`) is the condition itself rather than an optional delay.
    public var needsDuration: Bool { self == .flatline || self == .silent }
}

/// How urgent a rule's alerts are (`severity`), least urgent first.
public enum AlertSeverity: String, Sendable, CaseIterable {
    case info, minor, major, critical
}
