/// Every (sensor, metric) series the rules have seen, each with the rules that match it, worked out
/// once when the series first reports.
///
/// Laid out for 10,000 sensors on a 1 GB board: sensor ids are interned (one dictionary entry and
/// one string per sensor, whatever its metrics), metric names too, and series and watches live in
/// segmented arrays linked by index, so a series costs 40 bytes and each rule watching it 16, with
/// no allocation of their own and no copy as the city grows. A reading costs one hash of its sensor
/// id and a walk over that sensor's few series.
struct SeriesTable: Sendable {
    private var sensorIndex: [String: UInt32] = [:]
    private(set) var sensorNames = SegmentedArray<String>()
    private var firstSeriesOfSensor = SegmentedArray<UInt32>()
    private var metricIndex: [String: UInt32] = [:]
    private(set) var metricNames: [String] = []
    /// By metric number: the rules on that metric, so a new series tries only those filters (the
    /// engine passes the same rules on every call).
    private var rulesOfMetric: [[Int]] = []
    var series = SegmentedArray<SeriesRecord>()
    /// Each series' watches, one per matching rule, side by side in rule order.
    var watches = SegmentedArray<Watch>()

    /// The series of `sensor` and `metric`, created (with its watches) if it is new.
    mutating func seriesIndex(
        sensor: String, metric: String, rules: [RuleConfig], windows: inout HampelWindows
    ) -> Int {
        guard let sensorNumber = sensorIndex[sensor] else {
            let sensorNumber = UInt32(sensorNames.count)
            sensorIndex[sensor] = sensorNumber
            sensorNames.append(sensor)
            firstSeriesOfSensor.append(SeriesRecord.none)
            return addSeries(sensor: sensorNumber, metric: metric, after: nil, rules: rules, windows: &windows)
        }
        var current = firstSeriesOfSensor[Int(sensorNumber)]
        var last: Int?
        while current != SeriesRecord.none {
            let index = Int(current)
            if metricNames[Int(series[index].metric)] == metric { return index }
            last = index
            current = series[index].nextOfSensor
        }
        return addSeries(sensor: sensorNumber, metric: metric, after: last, rules: rules, windows: &windows)
    }

    /// The series of `sensor` and `metric`, if it has reported.
    func existingSeries(sensor: String, metric: String) -> Int? {
        guard let sensorNumber = sensorIndex[sensor] else { return nil }
        var current = firstSeriesOfSensor[Int(sensorNumber)]
        while current != SeriesRecord.none {
            if metricNames[Int(series[Int(current)].metric)] == metric { return Int(current) }
            current = series[Int(current)].nextOfSensor
        }
        return nil
    }

    /// Each sensor's series in the order they first reported, sensors in the same order.
    func seriesBySensor() -> [(sensor: String, series: [Int])] {
        sensorNames.indices.map { (sensorNames[$0], series(ofSensor: $0)) }
    }

    /// The series of sensor number `sensor`, in the order they first reported.
    func series(ofSensor sensor: Int) -> [Int] {
        var indices: [Int] = []
        var current = firstSeriesOfSensor[sensor]
        while current != SeriesRecord.none {
            indices.append(Int(current))
            current = series[Int(current)].nextOfSensor
        }
        return indices
    }

    /// The watches of series `index`: from its first to the next series' first.
    @inline(__always)
    func watchRange(of index: Int) -> Range<Int> {
        let end = index + 1 < series.count ? Int(series[index + 1].firstWatch) : watches.count
        return Int(series[index].firstWatch)..<end
    }

    func sensor(of record: SeriesRecord) -> String { sensorNames[Int(record.sensor)] }
    func metric(of record: SeriesRecord) -> String { metricNames[Int(record.metric)] }

    private mutating func addSeries(
        sensor: UInt32, metric: String, after previous: Int?, rules: [RuleConfig], windows: inout HampelWindows
    ) -> Int {
        let index = series.count
        let metricNumber: UInt32
        if let known = metricIndex[metric] {
            metricNumber = known
        } else {
            metricNumber = UInt32(metricNames.count)
            metricIndex[metric] = metricNumber
            metricNames.append(metric)
            rulesOfMetric.append(rules.indices.filter { rules[$0].metric == metric })
        }
        let firstWatch = UInt32(watches.count)
        let sensorName = sensorNames[Int(sensor)]
        for number in rulesOfMetric[Int(metricNumber)] where rules[number].sensors.matches(sensorName) {
            let window = rules[number].when == .outlier ? windows.makeWindow() : Watch.noWindow
            watches.append(Watch(rule: UInt16(number), window: window))
        }
        series.append(SeriesRecord(sensor: sensor, metric: metricNumber, firstWatch: firstWatch))
        if let previous {
            series[previous].nextOfSensor = UInt32(index)
        } else {
            firstSeriesOfSensor[Int(sensor)] = UInt32(index)
        }
        return index
    }
}

/// One series: its newest reading and how long its value has stayed the same.
struct SeriesRecord: Sendable {
    static let none = UInt32.max
    /// The newest reading's time in epoch ms; `Int64.min` until one arrives.
    var lastTime: Int64 = .min
    var lastValue: Double = 0
    /// When the current run of equal values began.
    var steadySince: Int64 = .min
    /// Its watches run from here to the next series' first.
    let firstWatch: UInt32
    var nextOfSensor: UInt32 = SeriesRecord.none
    let sensor: UInt32
    let metric: UInt32

    init(sensor: UInt32, metric: UInt32, firstWatch: UInt32) {
        self.sensor = sensor
        self.metric = metric
        self.firstWatch = firstWatch
    }

    var hasReading: Bool { lastTime != .min }

    /// Whether the value has been seen again, later, unchanged: one reading (or a redelivered
    /// duplicate of it) is not yet a flatline.
    var isRepeating: Bool { hasReading && lastTime > steadySince }

    /// Takes in a reading no older than the newest one.
    mutating func record(_ value: Double, at time: Int64) {
        if !hasReading || value != lastValue { steadySince = time }
        lastTime = time
        lastValue = value
    }
}

/// One rule watching one series: whether its alert is raised and since when its condition holds.
struct Watch: Sendable {
    static let noWindow: Int32 = -1
    static let notHeld = Int64.min
    /// When the condition began to hold without a raise yet (a `for` hold, or a raise `during`
    /// forbade); `notHeld` otherwise.
    var heldSince: Int64 = Watch.notHeld
    /// The outlier window, for outlier rules.
    let window: Int32
    let rule: UInt16
    var isRaised = false

    init(rule: UInt16, window: Int32) {
        self.rule = rule
        self.window = window
    }
}
