/// The payload of a rule state snapshot, field by field, in the order `RuleStateSnapshot` lays out.
enum RuleStatePayload {
    // Presence bits of an alert and of a series.
    static let hasValue: UInt8 = 1 << 0
    static let hasThreshold: UInt8 = 1 << 1
    static let hasSteadySince: UInt8 = 1 << 0
    static let hasHeld: UInt8 = 1 << 1
    static let hasWindows: UInt8 = 1 << 2

    // The fewest bytes each element can take, to refuse counts the bytes left cannot hold.
    static let minimumName = 4
    static let minimumAlert = 4 + 4 + 4 + 4 + 1 + 1 + 8 + 1
    static let minimumSensor = 4 + 4
    static let minimumSeries = 4 + 8 + 8 + 1
    static let minimumHeld = 4 + 8
    static let minimumWindow = 4 + 8 + 4

    // MARK: - Writing

    static func write(_ state: RuleEngineState, names: SnapshotNames, to writer: inout SnapshotWriter) {
        write(names, to: &writer)
        write(state.activeAlerts, names, to: &writer)
        writer.write(UInt32(state.sensors.count))
        for sensor in state.sensors {
            writer.write(sensor.sensor)
            writer.write(UInt32(sensor.series.count))
            for series in sensor.series { write(series, names, to: &writer) }
        }
    }

    /// Every rule and metric name the state mentions, each once.
    static func names(of state: RuleEngineState) -> SnapshotNames {
        var names = SnapshotNames()
        for alert in state.activeAlerts {
            names.add(alert.rule)
            names.add(alert.metric)
        }
        for sensor in state.sensors {
            for series in sensor.series {
                names.add(series.metric)
                for rule in series.held?.keys ?? [:].keys { names.add(rule) }
                for rule in series.windows?.keys ?? [:].keys { names.add(rule) }
            }
        }
        return names
    }

    static func write(_ names: SnapshotNames, to writer: inout SnapshotWriter) {
        writer.write(UInt32(names.names.count))
        for name in names.names { writer.write(name) }
    }

    static func write(_ alerts: [AlertEvent], _ names: SnapshotNames, to writer: inout SnapshotWriter) {
        writer.write(UInt32(alerts.count))
        for alert in alerts { write(alert, names, to: &writer) }
    }

    private static func write(_ alert: AlertEvent, _ names: SnapshotNames, to writer: inout SnapshotWriter) {
        writer.write(alert.id)
        writer.write(names.number(of: alert.rule))
        writer.write(alert.sensor)
        writer.write(names.number(of: alert.metric))
        writer.write(SeverityCode.code(of: alert.severity))
        writer.write(alert.state == .raised ? UInt8(0) : 1)
        writer.write(alert.at.milliseconds)
        writer.write((alert.value == nil ? 0 : hasValue) | (alert.threshold == nil ? 0 : hasThreshold))
        if let value = alert.value { writer.write(value) }
        if let threshold = alert.threshold { writer.write(threshold) }
    }

    static func write(_ series: SeriesHistory, _ names: SnapshotNames, to writer: inout SnapshotWriter) {
        writer.write(names.number(of: series.metric))
        writer.write(series.time)
        writer.write(series.value)
        writer.write(
            (series.steadySince == nil ? 0 : hasSteadySince) | (series.held == nil ? 0 : hasHeld)
                | (series.windows == nil ? 0 : hasWindows))
        if let steadySince = series.steadySince { writer.write(steadySince) }
        if let held = series.held {
            writer.write(UInt32(held.count))
            for (rule, since) in held {
                writer.write(names.number(of: rule))
                writer.write(since)
            }
        }
        if let windows = series.windows {
            writer.write(UInt32(windows.count))
            for (rule, window) in windows {
                writer.write(names.number(of: rule))
                writer.write(window.anchor)
                writer.write(UInt32(window.offsets.count))
                for offset in window.offsets { writer.write(offset) }
            }
        }
    }
}
