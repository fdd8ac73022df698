extension RuleConfig {
    static func read(_ table: TableReader) -> RuleConfig {
        var table = table
        let name = table.required("name", .name)
        let sensors = table.optional("sensors", .topicFilter(example: "+/water/+"))
        let metric = table.required("metric", .nonEmpty("a metric name like \"flow\""))
        let when = table.required("when", .oneOf(RuleCondition.self))
        // Missing or bad required values were reported; placeholders let the other keys be checked.
        var rule = RuleConfig(name: name ?? "", metric: metric ?? "", when: when ?? .above)
        if let sensors { rule.sensors = sensors }
        table.read("threshold", .number, into: &rule.threshold)
        table.read("clear", .number, into: &rule.clear)
        table.read("for", .duration(atLeast: .seconds(1), example: "15m"), into: &rule.duration)
        table.read("during", .timeOfDayRange, into: &rule.during)
        table.read("severity", .oneOf(AlertSeverity.self), into: &rule.severity)
        if let when { checkKeys(for: when, in: rule, &table) }
        table.finish()
        return rule
    }

    /// Checks that the keys which depend on `when` are there when it needs them, absent when it
    /// would ignore them, and on the right side of each other.
    private static func checkKeys(for when: RuleCondition, in rule: RuleConfig, _ table: inout TableReader) {
        let condition = "when = \(tomlQuoted(when.rawValue))"
        if when.takesThreshold, rule.threshold == nil, table.areValid("threshold") {
            table.reportMissing("threshold", expected: "a number for \(condition) (\(thresholdMeaning(when)))")
        }
        if !when.takesThreshold, let threshold = rule.threshold {
            table.reject("threshold", got: "\(threshold)", expected: "no threshold with \(condition)")
        }
        if when == .rate || when == .outlier, let threshold = rule.threshold, threshold <= 0 {
            table.reject(
                "threshold", got: "\(threshold)",
                expected: "a number above 0 for \(condition) (\(thresholdMeaning(when)))")
        }
        if let clear = rule.clear {
            if !when.takesClear {
                table.reject(
                    "clear", got: "\(clear)",
                    expected: "no clear with \(condition) (only above and below clear at another level)")
            } else if let threshold = rule.threshold, table.areValid("threshold") {
                // Hysteresis: the alert clears only once the value is back past the clear level,
                // which lies on the harmless side of the threshold.
                if when == .above, clear > threshold {
                    table.reject("clear", got: "\(clear)", expected: "at most the threshold (\(threshold)) for \(condition)")
                }
                if when == .below, clear < threshold {
                    table.reject("clear", got: "\(clear)", expected: "at least the threshold (\(threshold)) for \(condition)")
                }
            }
        }
        if when.needsDuration, rule.duration == nil, table.areValid("for") {
            let meaning = when == .silent ? "how long no reading comes" : "how long the value stays the same"
            table.reportMissing("for", expected: "a duration like \"15m\" for \(condition) (\(meaning))")
        }
    }

    private static func thresholdMeaning(_ when: RuleCondition) -> String {
        switch when {
        case .above, .below: "the level"
        case .rate: "the change per minute"
        case .outlier: "how many standard deviations"
        case .flatline, .silent: "unused"
        }
    }
}
