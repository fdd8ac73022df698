extension RuleStatePayload {
    static func read(_ reader: inout SnapshotReader) throws(RuleStateSnapshotError) -> RuleEngineState {
        let nameCount = try reader.readCount(minimumSize: minimumName)
        var names: [String] = []
        names.reserveCapacity(nameCount)
        for _ in 0..<nameCount { names.append(try reader.read(String.self)) }

        let alertCount = try reader.readCount(minimumSize: minimumAlert)
        var alerts: [AlertEvent] = []
        alerts.reserveCapacity(alertCount)
        for _ in 0..<alertCount { alerts.append(try readAlert(&reader, names)) }

        let sensorCount = try reader.readCount(minimumSize: minimumSensor)
        var sensors: [SensorHistory] = []
        sensors.reserveCapacity(sensorCount)
        for _ in 0..<sensorCount {
            let sensor = try reader.read(String.self)
            let seriesCount = try reader.readCount(minimumSize: minimumSeries)
            var series: [SeriesHistory] = []
            series.reserveCapacity(seriesCount)
            for _ in 0..<seriesCount { series.append(try readSeries(&reader, names)) }
            sensors.append(SensorHistory(sensor: sensor, series: series))
        }
        return RuleEngineState(activeAlerts: alerts, sensors: sensors)
    }

    private static func readName(_ reader: inout SnapshotReader, _ names: [String]) throws(RuleStateSnapshotError) -> String {
        let start = reader.offset
        let number = try reader.read(UInt32.self)
        guard number < names.count else { throw RuleStateSnapshotError(.unknownName(number), at: start) }
        return names[Int(number)]
    }

    private static func readFlags(_ reader: inout SnapshotReader, allowed: UInt8) throws(RuleStateSnapshotError) -> UInt8 {
        let start = reader.offset
        let flags = try reader.read(UInt8.self)
        guard flags & ~allowed == 0 else { throw RuleStateSnapshotError(.unknownFlags(flags), at: start) }
        return flags
    }

    private static func readAlert(_ reader: inout SnapshotReader, _ names: [String]) throws(RuleStateSnapshotError) -> AlertEvent {
        let id = try reader.read(String.self)
        let rule = try readName(&reader, names)
        let sensor = try reader.read(String.self)
        let metric = try readName(&reader, names)
        let severityAt = reader.offset
        let severityCode = try reader.read(UInt8.self)
        guard let severity = SeverityCode.severity(of: severityCode) else {
            throw RuleStateSnapshotError(.unknownSeverity(severityCode), at: severityAt)
        }
        let stateAt = reader.offset
        let state: AlertState
        switch try reader.read(UInt8.self) {
        case 0: state = .raised
        case 1: state = .cleared
        case let code: throw RuleStateSnapshotError(.unknownAlertState(code), at: stateAt)
        }
        let at = Timestamp(milliseconds: try reader.read(Int64.self))
        let flags = try readFlags(&reader, allowed: hasValue | hasThreshold)
        let value: Double? = try flags & hasValue != 0 ? reader.read(Double.self) : nil
        let threshold: Double? = try flags & hasThreshold != 0 ? reader.read(Double.self) : nil
        return AlertEvent(
            id: id, rule: rule, sensor: sensor, metric: metric, severity: severity, state: state, at: at,
            value: value, threshold: threshold)
    }

    private static func readSeries(_ reader: inout SnapshotReader, _ names: [String]) throws(RuleStateSnapshotError) -> SeriesHistory {
        let metric = try readName(&reader, names)
        let time = try reader.read(Int64.self)
        let value = try reader.read(Double.self)
        let flags = try readFlags(&reader, allowed: hasSteadySince | hasHeld | hasWindows)
        let steadySince: Int64? = try flags & hasSteadySince != 0 ? reader.read(Int64.self) : nil
        var held: [String: Int64]?
        if flags & hasHeld != 0 {
            let count = try reader.readCount(minimumSize: minimumHeld)
            var entries: [String: Int64] = [:]
            entries.reserveCapacity(count)
            for _ in 0..<count {
                let rule = try readName(&reader, names)
                entries[rule] = try reader.read(Int64.self)
            }
            held = entries
        }
        var windows: [String: SavedWindow]?
        if flags & hasWindows != 0 {
            let count = try reader.readCount(minimumSize: minimumWindow)
            var entries: [String: SavedWindow] = [:]
            entries.reserveCapacity(count)
            for _ in 0..<count {
                let rule = try readName(&reader, names)
                let anchor = try reader.read(Double.self)
                let offsetCount = try reader.readCount(minimumSize: MemoryLayout<Float>.size)
                var offsets: [Float] = []
                offsets.reserveCapacity(offsetCount)
                for _ in 0..<offsetCount { offsets.append(try reader.read(Float.self)) }
                entries[rule] = SavedWindow(anchor: anchor, offsets: offsets)
            }
            windows = entries
        }
        return SeriesHistory(
            metric: metric, time: time, value: value, steadySince: steadySince, held: held, windows: windows)
    }
}
