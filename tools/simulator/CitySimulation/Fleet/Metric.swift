/// A measured quantity; the raw value is the `{metric}` topic level and the SenML `n`.
public enum Metric: String, CaseIterable, Sendable {
    case flow
    case pressure
    case fill
    case temperature
    case power
    case pm25
    case pm10
    case humidity

    /// The unit of `value`, spelled as SenML does where it has a name for it.
    public var unit: String {
        switch self {
        case .flow: "m3/h"
        case .pressure: "bar"
        case .fill: "%"
        case .temperature: "Cel"
        case .power: "W"
        case .pm25, .pm10: "ug/m3"
        case .humidity: "%RH"
        }
    }

    /// Decimals written: about what such a sensor resolves, and keeps payloads short.
    public var decimals: Int {
        switch self {
        case .flow, .pressure: 3
        case .fill, .temperature, .power, .pm25, .pm10, .humidity: 1
        }
    }
}

/// One value of one metric of one device at one simulated time.
public struct Reading: Sendable, Hashable {
    public var device: Device
    public var metric: Metric
    public var value: Double
    public var time: SimulatedTime

    public init(device: Device, metric: Metric, value: Double, time: SimulatedTime) {
        self.device = device
        self.metric = metric
        self.value = value
        self.time = time
    }
}
