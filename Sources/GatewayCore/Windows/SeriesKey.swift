/// One series: the readings of one metric of one sensor, which windows summarise separately.
struct SeriesKey: Sendable, Hashable {
    var sensor: String
    var metric: String

    init(_ reading: Reading) {
        sensor = reading.sensor
        metric = reading.metric
    }

    /// The emission order within a window: by sensor, then metric.
    static func precedes(_ lhs: SeriesKey, _ rhs: SeriesKey) -> Bool {
        lhs.sensor != rhs.sensor ? lhs.sensor < rhs.sensor : lhs.metric < rhs.metric
    }
}
