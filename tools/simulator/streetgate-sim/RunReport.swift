import CitySimulation

/// The lines the simulator prints: one when it starts, one when it ends.
enum RunReport {
    static func startLine(broker: BrokerAddress, clientID: String, qos: Int, scenario: Scenario, interval: String, rate: Double, speed: Double) -> String {
        let counts = scenario.counts
        let devices = "\(plural(counts.total, "device")) (\(plural(counts.meters, "meter")), \(plural(counts.bins, "bin")), "
            + "\(plural(counts.lamps, "lamp")), \(plural(counts.airStations, "air station")))"
        let pace = rate > 0 ? "at most \(number(rate)) messages/s" : "as fast as the broker acknowledges"
        let clock = speed > 0 ? "speed \(number(speed))" : "simulated clock untied"
        return "streetgate-sim: publishing to \(broker) as \(clientID) (QoS \(qos)): \(scenario.city.rawValue), \(devices), "
            + "\(plural(scenario.messagesPerInterval, "message")) every \(interval) simulated from \(scenario.start.rfc3339), "
            + "\(clock), \(pace), format \(scenario.format.rawValue), seed \(scenario.seed)"
            + (scenario.incidents.isEmpty ? "" : "; incidents: " + scenario.incidents.map(\.description).joined(separator: ", "))
    }

    static func summaryLine(_ summary: SimulatorRun.Summary) -> String {
        let outcome = summary.outcome
        let seconds = Double(summary.elapsed.components.seconds) + Double(summary.elapsed.components.attoseconds) * 1e-18
        let acknowledged = outcome.sent - summary.unacknowledged
        var line = "streetgate-sim: sent \(outcome.sent), acknowledged \(acknowledged), unacknowledged \(summary.unacknowledged), "
            + "elapsed \(number(seconds, decimals: 2)) s (\(number(seconds > 0 ? Double(outcome.sent) / seconds : 0)) messages/s)"
        if let first = outcome.firstTime, let last = outcome.lastTime {
            line += ", simulated \(first.rfc3339) to \(last.rfc3339)"
        }
        return line + "; \(reason(outcome.ending))"
    }

    static func reason(_ ending: PublishLoop.Ending) -> String {
        switch ending {
        case .countReached: "count reached"
        case .durationReached: "duration reached"
        case .signalled: "stopped by signal"
        case .brokerUnreachable(let reason): "broker unreachable (\(reason))"
        }
    }

    static func plural(_ count: Int, _ noun: String) -> String {
        "\(count) \(noun)\(count == 1 ? "" : "s")"
    }

    /// `200`, `0.5`, `12.3`: at most `decimals` places, no trailing zeros.
    static func number(_ value: Double, decimals: Int = 1) -> String {
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let rounded = (value * scale).rounded() / scale
        if rounded == rounded.rounded(), abs(rounded) < 1e15 {
            return String(Int64(rounded))
        }
        return "\(rounded)"
    }
}
