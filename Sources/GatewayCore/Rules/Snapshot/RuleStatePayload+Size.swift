extension RuleStatePayload {
    /// The payload's size in bytes, exactly as `write` lays it out.
    static func size(of state: RuleEngineState, names: SnapshotNames) -> Int {
        var size = 4 + names.names.reduce(0) { $0 + 4 + $1.utf8.count }
        size += 4
        for alert in state.activeAlerts {
            size += 4 + alert.id.utf8.count + 4 + 4 + alert.sensor.utf8.count + 4 + 1 + 1 + 8 + 1
            size += (alert.value == nil ? 0 : 8) + (alert.threshold == nil ? 0 : 8)
        }
        size += 4
        for sensor in state.sensors {
            size += 4 + sensor.sensor.utf8.count + 4
            for series in sensor.series {
                size += 4 + 8 + 8 + 1 + (series.steadySince == nil ? 0 : 8)
                if let held = series.held { size += 4 + held.count * (4 + 8) }
                if let windows = series.windows {
                    size += 4
                    for window in windows.values { size += 4 + 8 + 4 + window.offsets.count * 4 }
                }
            }
        }
        return size
    }
}
