extension RuleEngine {
    /// Everything needed to continue after a restart without raising twice or forgetting an alert.
    public var state: RuleEngineState {
        var sensors: [SensorHistory] = []
        for (sensor, seriesIndices) in table.seriesBySensor() {
            let histories = seriesIndices.compactMap(history(of:))
            if !histories.isEmpty { sensors.append(SensorHistory(sensor: sensor, series: histories)) }
        }
        return RuleEngineState(activeAlerts: activeAlerts, sensors: sensors)
    }

    /// The series' history, or nil when its rules need none: only `above` and `below` rules with
    /// no hold in progress, which judge each reading on its own.
    func history(of seriesIndex: Int) -> SeriesHistory? {
        let series = table.series[seriesIndex]
        guard series.hasReading else { return nil }
        var needed = false
        var held: [String: Int64] = [:]
        var windows: [String: SavedWindow] = [:]
        for watchIndex in table.watchRange(of: seriesIndex) {
            let watch = table.watches[watchIndex]
            let rule = rules[Int(watch.rule)]
            switch rule.kind {
            case .rate, .flatline, .silent: needed = true
            case .outlier:
                needed = true
                windows[configs[Int(watch.rule)].name] = self.windows.saved(watch.window)
            case .above, .below: break
            }
            if watch.heldSince != Watch.notHeld {
                needed = true
                held[configs[Int(watch.rule)].name] = watch.heldSince
            }
        }
        guard needed else { return nil }
        return SeriesHistory(
            metric: table.metric(of: series), time: series.lastTime, value: series.lastValue,
            steadySince: series.isRepeating ? series.steadySince : nil,
            held: held.isEmpty ? nil : held, windows: windows.isEmpty ? nil : windows)
    }

    /// Picks up where a saved engine stopped. Memory of rules that no longer exist or no longer
    /// match is dropped; their active alerts become orphans, cleared at the first tick.
    mutating func restore(_ saved: RuleEngineState) {
        for sensor in saved.sensors {
            for history in sensor.series {
                let index = seriesIndex(sensor: sensor.sensor, metric: history.metric)
                table.series[index].lastTime = history.time
                table.series[index].lastValue = history.value
                table.series[index].steadySince = history.steadySince ?? history.time
                for (name, since) in history.held ?? [:] {
                    if let watch = watchIndex(rule: name, series: index) { table.watches[watch].heldSince = since }
                }
                for (name, window) in history.windows ?? [:] {
                    guard let watch = watchIndex(rule: name, series: index) else { continue }
                    let number = table.watches[watch].window
                    if number != Watch.noWindow { windows.restore(window, into: number) }
                }
            }
        }
        for alert in saved.activeAlerts where alert.state == .raised {
            if ruleNumbers[alert.rule] != nil {
                let index = seriesIndex(sensor: alert.sensor, metric: alert.metric)
                if let watch = watchIndex(rule: alert.rule, series: index), !table.watches[watch].isRaised {
                    table.watches[watch].isRaised = true
                    table.watches[watch].heldSince = Watch.notHeld
                    raisedEvents[watch] = alert
                    continue
                }
            }
            orphans.append(alert)
        }
        // Deadlines were not tracked while restoring: let the first tick look at everything.
        earliestDeadline = .min
    }

    /// The watch of the rule named `name` on a series, if that rule matches it.
    private func watchIndex(rule name: String, series index: Int) -> Int? {
        guard let number = ruleNumbers[name] else { return nil }
        return table.watchRange(of: index).first { table.watches[$0].rule == UInt16(number) }
    }
}
