/// The series that the open windows hold, numbered, so that a window keeps a 4-byte number per
/// series rather than its two names.
///
/// Laid out for 50,000 series on a 1 GB board: sensor ids are interned (one dictionary entry and one
/// string per sensor, shared by every window and every aggregate it emits), and a sensor's series
/// are linked from its entry, so finding a series costs one hash of its sensor id and a walk over
/// that sensor's few metrics. A series costs 32 bytes here, in storage that grows without copying.
///
/// Series that stop reporting are forgotten when a window closes without them (`forget`), and
/// their numbers are given to newcomers, so sensors that come and go do not make it grow: it holds
/// what the open windows hold, plus the series of the window closed last.
struct SeriesDirectory: Sendable {
    static let none = UInt32.max

    private var sensorNumbers: [String: UInt32] = [:]
    private var sensors = SegmentedArray<Sensor>()
    private var series = SegmentedArray<Series>()
    private var freeSensors: [UInt32] = []
    private var freeSeries: [UInt32] = []

    private struct Sensor: Sendable {
        var name: String
        var firstSeries: UInt32
    }

    private struct Series: Sendable {
        /// The start of the newest window the series has a reading in.
        var newestStart: Int64
        var metric: String
        /// `none` while the number is free.
        var sensor: UInt32
        var nextOfSensor: UInt32
    }

    /// How many series are known.
    var count: Int { series.count - freeSeries.count }

    func sensor(of number: UInt32) -> String { sensors[Int(series[Int(number)].sensor)].name }
    func metric(of number: UInt32) -> String { series[Int(number)].metric }

    /// The number of the series of `sensor` and `metric`, numbered now if it is new; records that it
    /// has a reading in the window starting at `start`.
    mutating func number(sensor: String, metric: String, inWindowStarting start: Int64) -> UInt32 {
        let sensorNumber = sensorNumbers[sensor] ?? addSensor(sensor)
        var current = sensors[Int(sensorNumber)].firstSeries
        while current != Self.none {
            if series[Int(current)].metric == metric {
                if series[Int(current)].newestStart < start { series[Int(current)].newestStart = start }
                return current
            }
            current = series[Int(current)].nextOfSensor
        }
        let entry = Series(
            newestStart: start, metric: metric, sensor: sensorNumber, nextOfSensor: sensors[Int(sensorNumber)].firstSeries)
        let number: UInt32
        if let free = freeSeries.popLast() {
            number = free
            series[Int(number)] = entry
        } else {
            number = UInt32(series.count)
            series.append(entry)
        }
        sensors[Int(sensorNumber)].firstSeries = number
        return number
    }

    /// The emission order within a window: by sensor, then metric.
    func precedes(_ lhs: UInt32, _ rhs: UInt32) -> Bool {
        let left = series[Int(lhs)]
        let right = series[Int(rhs)]
        if left.sensor != right.sensor { return sensors[Int(left.sensor)].name < sensors[Int(right.sensor)].name }
        return left.metric < right.metric
    }

    /// Forgets every series whose newest reading lies in a window starting before `start`, and
    /// sensors left without series; their numbers are used again.
    mutating func forget(seriesNewestBefore start: Int64) {
        for sensorNumber in sensors.indices where sensors[sensorNumber].firstSeries != Self.none {
            var kept = Self.none
            var current = sensors[sensorNumber].firstSeries
            while current != Self.none {
                let next = series[Int(current)].nextOfSensor
                if series[Int(current)].newestStart < start {
                    series[Int(current)] = Series(newestStart: .min, metric: "", sensor: Self.none, nextOfSensor: Self.none)
                    freeSeries.append(current)
                } else {
                    series[Int(current)].nextOfSensor = kept
                    kept = current
                }
                current = next
            }
            sensors[sensorNumber].firstSeries = kept
            if kept == Self.none {
                sensorNumbers[sensors[sensorNumber].name] = nil
                sensors[sensorNumber].name = ""
                freeSensors.append(UInt32(sensorNumber))
            }
        }
    }

    private mutating func addSensor(_ name: String) -> UInt32 {
        let number: UInt32
        if let free = freeSensors.popLast() {
            number = free
            sensors[Int(number)] = Sensor(name: name, firstSeries: Self.none)
        } else {
            number = UInt32(sensors.count)
            sensors.append(Sensor(name: name, firstSeries: Self.none))
        }
        sensorNumbers[name] = number
        return number
    }
}
