/// The random identity of one simulated sensor: its traits (size, siting, schedule) are drawn once from
/// the seed and its name, and its noise is keyed by them, so every run with the same seed builds the
/// same city.
struct SensorIdentity: Sendable {
    let device: Device
    /// Keys everything about this device.
    let key: UInt64
    /// Keys what the whole city shares: weather, dust episodes.
    let cityKey: UInt64

    init(seed: UInt64, city: City, device: Device) {
        self.device = device
        cityKey = Noise.key(seed, Noise.label(city.rawValue))
        key = Noise.key(cityKey, Noise.label(device.domain.rawValue), UInt64(device.number))
    }

    /// A generator for drawing the device's fixed traits, always in the same order.
    func traits() -> SplitMix64 {
        SplitMix64(seed: key)
    }

    /// Measurement noise in -1 ..< 1, different for every reading.
    func jitter(_ metric: Metric, at time: SimulatedTime) -> Double {
        Noise.signed(Noise.key(key, Noise.label(metric.rawValue), UInt64(bitPattern: time.epochMilliseconds)))
    }

    /// Slow drift in -1 ... 1 of one metric, changing over about `period` hours.
    func drift(_ metric: Metric, at clock: LocalClock, period: Double) -> Double {
        Noise.drift(Noise.key(key, Noise.label(metric.rawValue)), at: clock.hoursSinceEpoch / period)
    }

    /// A city-wide drift in -1 ... 1 named by `topic` (e.g. "weather"), changing over about `period` hours.
    func cityDrift(_ topic: String, at clock: LocalClock, period: Double) -> Double {
        Noise.drift(Noise.key(cityKey, Noise.label(topic)), at: clock.hoursSinceEpoch / period)
    }
}
