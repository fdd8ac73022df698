/// What every sensor of one city reads at any simulated time: a pure function of the seed, the
/// device and the time.
public struct CityModel: Sendable, Hashable {
    public let city: City
    public let seed: UInt64

    public init(city: City, seed: UInt64) {
        self.city = city
        self.seed = seed
    }

    /// The device's readings at `time`, one per metric, in the domain's metric order.
    public func readings(of device: Device, at time: SimulatedTime) -> [Reading] {
        let clock = city.clock(at: time)
        let sensor = SensorIdentity(seed: seed, city: city, device: device)
        let values: [(Metric, Double)]
        switch device.domain {
        case .water: values = WaterMeterModel(sensor).values(at: clock, time: time, city: city)
        case .waste: values = WasteBinModel(sensor).values(at: clock, time: time, city: city)
        case .lighting: values = StreetLampModel(sensor).values(at: clock, time: time, city: city)
        case .air: values = AirStationModel(sensor).values(at: clock, time: time, city: city)
        }
        return values.map { Reading(device: device, metric: $0.0, value: $0.1, time: time) }
    }

    /// One metric of one device at `time`; nil if the device does not measure it.
    public func value(of metric: Metric, device: Device, at time: SimulatedTime) -> Double? {
        readings(of: device, at: time).first { $0.metric == metric }?.value
    }
}
