extension RuleEngine {
    /// The state as snapshot bytes (`RuleStateSnapshot`), written series by series straight from
    /// the engine. It reads back as `state`, but never holds the whole `RuleEngineState` in memory:
    /// built whole, that tree of small blocks left a step in a long-running gateway's resident
    /// memory at its first save.
    public func snapshot() -> [UInt8] {
        var names = SnapshotNames()
        let alerts = activeAlerts
        for alert in alerts {
            names.add(alert.rule)
            names.add(alert.metric)
        }
        for config in configs { names.add(config.name) }
        for metric in table.metricNames { names.add(metric) }

        var writer = SnapshotWriter(capacity: RuleStateSnapshot.headerSize + estimatedSnapshotSize(alerts: alerts.count))
        writer.write(bytes: [UInt8](repeating: 0, count: RuleStateSnapshot.headerSize))  // filled in by `seal`
        RuleStatePayload.write(names, to: &writer)
        RuleStatePayload.write(alerts, names, to: &writer)
        // Sensors whose series need no history are left out, as `state` leaves them out; the
        // counts are filled in once known.
        let sensorCountAt = writer.count
        writer.write(UInt32(0))
        var sensorsWritten: UInt32 = 0
        for sensor in table.sensorNames.indices {
            let sensorStart = writer.count
            writer.write(table.sensorNames[sensor])
            let seriesCountAt = writer.count
            writer.write(UInt32(0))
            var seriesWritten: UInt32 = 0
            for index in table.series(ofSensor: sensor) {
                guard let history = history(of: index) else { continue }
                RuleStatePayload.write(history, names, to: &writer)
                seriesWritten += 1
            }
            if seriesWritten == 0 {
                writer.truncate(to: sensorStart)
            } else {
                writer.patch(seriesWritten, at: seriesCountAt)
                sensorsWritten += 1
            }
        }
        writer.patch(sensorsWritten, at: sensorCountAt)
        var bytes = writer.finish()
        RuleStateSnapshot.seal(&bytes)
        return bytes
    }

    /// Enough for most states, so the array rarely grows on the way.
    private func estimatedSnapshotSize(alerts: Int) -> Int {
        4_096 + alerts * 128 + table.sensorNames.count * 40 + table.series.count * 40
            + windows.count * (16 + HampelWindows.capacity * 4)
    }
}
