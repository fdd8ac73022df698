extension RuleEngine {
    /// What the clock decides without a reading: `silent` series, `flatline` values that have now
    /// stood long enough, `above`/`below` holds that have run their `for`, and a restored alert
    /// whose rule is gone. Call about once a second live; replay calls it with the recorded times.
    ///
    /// Free until the earliest deadline; then one pass over the watches that wait on the clock,
    /// which also finds the next deadline.
    public mutating func tick(now: Timestamp) -> [RuleAction] {
        let now = now.milliseconds
        var actions: [RuleAction] = []
        if !orphans.isEmpty {
            actions = orphans.map { .clear($0.cleared(at: now, value: nil)) }
            orphans = []
        }
        guard now >= earliestDeadline else { return actions }
        var next = Int64.max
        for seriesIndex in table.series.indices {
            let series = table.series[seriesIndex]
            for watchIndex in table.watchRange(of: seriesIndex) {
                let watch = table.watches[watchIndex]
                let rule = rules[Int(watch.rule)]
                guard let due = deadline(of: watch, rule, series) else { continue }
                if due > now {
                    next = min(next, due)
                } else if rule.mayRaise(at: now, in: zone) {
                    // A silence has no value; a level or a flatline still has the newest one.
                    let value = rule.kind == .silent ? nil : series.lastValue
                    raise(watchIndex, series: series, value: value, at: now, into: &actions)
                } else {
                    // Wall-clock minutes begin on UTC minutes in every zone of today: look again then.
                    next = min(next, (now.floorDivided(by: 60_000) + 1) * 60_000)
                }
            }
        }
        earliestDeadline = next
        return actions
    }

    /// When the clock would raise this watch, if nothing else happens first; nil when only a
    /// reading can raise it (or it is raised already).
    func deadline(of watch: Watch, _ rule: CompiledRule, _ series: SeriesRecord) -> Int64? {
        guard !watch.isRaised, series.hasReading else { return nil }
        switch rule.kind {
        case .silent:
            return series.lastTime.clampedAdding(rule.holdMilliseconds)
        case .flatline:
            return series.isRepeating ? series.steadySince.clampedAdding(rule.holdMilliseconds) : nil
        case .above, .below:
            return watch.heldSince == Watch.notHeld ? nil : watch.heldSince.clampedAdding(rule.holdMilliseconds)
        case .rate, .outlier:
            return nil
        }
    }
}
