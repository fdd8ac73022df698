/// One measured value from one sensor: the unit of everything the gateway stores, judges and forwards.
///
/// `sensor` is the id built from the topic by the source's `sensor` template (`fes/water/meter-0042`),
/// `metric` the quantity (`flow`), `time` when it was measured (the payload's own time, else the time
/// it was received), and `value` a finite number.
public struct Reading: Sendable, Hashable {
    public var sensor: String
    public var metric: String
    public var time: Timestamp
    public var value: Double

    public init(sensor: String, metric: String, time: Timestamp, value: Double) {
        self.sensor = sensor
        self.metric = metric
        self.time = time
        self.value = value
    }
}
