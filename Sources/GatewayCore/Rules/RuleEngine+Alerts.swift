extension RuleEngine {
    /// Raises the alert of a watch: records the event and adds the action.
    mutating func raise(
        _ watchIndex: Int, series: SeriesRecord, value: Double?, at now: Int64, into actions: inout [RuleAction]
    ) {
        let rule = configs[Int(table.watches[watchIndex].rule)]
        let sensor = table.sensor(of: series)
        let at = Timestamp(milliseconds: now)
        let event = AlertEvent(
            id: AlertEvent.id(rule: rule.name, sensor: sensor, raisedAt: at), rule: rule.name, sensor: sensor,
            metric: table.metric(of: series), severity: rule.severity, state: .raised, at: at, value: value,
            threshold: rule.threshold)
        raisedEvents[watchIndex] = event
        table.watches[watchIndex].isRaised = true
        table.watches[watchIndex].heldSince = Watch.notHeld
        actions.append(.raise(event))
    }

    /// Clears the raised alert of a watch, with the raise's id, severity and threshold.
    mutating func clear(_ watchIndex: Int, value: Double?, at now: Int64, into actions: inout [RuleAction]) {
        table.watches[watchIndex].isRaised = false
        table.watches[watchIndex].heldSince = Watch.notHeld
        // A raised watch always has its event (both are set together in `raise` and `restore`).
        if let raised = raisedEvents.removeValue(forKey: watchIndex) {
            actions.append(.clear(raised.cleared(at: now, value: value)))
        }
    }
}

extension AlertEvent {
    /// The clear that ends this raised alert: same id, rule, sensor, severity and threshold.
    func cleared(at time: Int64, value: Double?) -> AlertEvent {
        var event = self
        event.state = .cleared
        event.at = Timestamp(milliseconds: time)
        event.value = value
        return event
    }
}
