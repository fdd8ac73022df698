/// A `RuleConfig` with what every reading needs worked out once: levels as plain numbers, `for`
/// in milliseconds. Plain values only, so reading one costs no reference counting; names and
/// filters stay in the `RuleConfig`.
///
/// A rule the loader would refuse (a missing threshold, `silent` without `for`) never raises, rather
/// than stopping the gateway.
struct CompiledRule: Sendable {
    let kind: RuleCondition
    let severity: AlertSeverity
    /// Reported in alert events.
    let threshold: Double?
    /// above/below: the level to cross; rate: per minute; outlier: robust deviations.
    let raiseLevel: Double
    /// above/below: the level at which a raised alert clears (`clear`, else the threshold).
    let clearLevel: Double
    /// How long the condition must hold before a raise; for flatline and silent, the condition.
    let holdMilliseconds: Int64
    let during: TimeOfDayRange?

    init(_ config: RuleConfig) {
        kind = config.when
        severity = config.severity
        threshold = config.threshold
        during = config.during
        let never = config.when == .below ? -Double.infinity : Double.infinity
        raiseLevel = config.threshold ?? never
        clearLevel = config.clear ?? config.threshold ?? never
        if let duration = config.duration {
            holdMilliseconds = max(0, DurationText.milliseconds(of: duration))
        } else {
            holdMilliseconds = config.when.needsDuration ? .max : 0
        }
    }

    /// Whether the rule may raise at `time`: always, unless `during` says otherwise. The zone is
    /// asked only here, so only when a raise is due.
    func mayRaise(at time: Int64, in zone: any LocalTimeZone) -> Bool {
        guard let during else { return true }
        return during.contains(minuteOfDay: zone.minuteOfDay(at: Timestamp(milliseconds: time)))
    }

    /// above and below: whether `value` crosses the level, and whether it is back past the clear level.
    func levelVerdict(_ value: Double) -> (crossed: Bool, cleared: Bool) {
        kind == .below
            ? (value < raiseLevel, value >= clearLevel)
            : (value > raiseLevel, value <= clearLevel)
    }

    /// Whether the clock can raise this rule between readings: `silent` and `flatline` by nature,
    /// and `above`/`below` whose level stays crossed until a reading says otherwise. A `rate` or an
    /// `outlier` verdict belongs to one reading, so only readings raise those.
    var isClockDriven: Bool {
        switch kind {
        case .silent, .flatline, .above, .below: true
        case .rate, .outlier: false
        }
    }
}

extension Int64 {
    /// `self + other`, held at the ends instead of trapping: deadlines may be "never".
    func clampedAdding(_ other: Int64) -> Int64 {
        let (sum, overflow) = addingReportingOverflow(other)
        guard overflow else { return sum }
        return other > 0 ? .max : .min
    }
}
