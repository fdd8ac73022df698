/// A street lamp with a power meter: off by day (only the driver's standby draw), on from dusk to
/// dawn as its photocell sees it, and dimmed in the small hours when the streets are empty.
struct StreetLampModel: Sendable {
    let sensor: SensorIdentity
    /// Nameplate power of the luminaire, W.
    let ratedPower: Double
    /// Photocells differ: minutes after sunset this one switches on (negative: before).
    let switchOnAfterSunset: Double
    /// Minutes after sunrise this one switches off (negative: before).
    let switchOffAfterSunrise: Double
    /// What the driver draws while the lamp is off, W.
    let standbyPower: Double

    /// Night-time dimming, a common energy-saving schedule: 60 % from 01:00 to 05:00.
    static let dimmedHours = 1.0..<5.0
    static let dimmedLevel = 0.6

    init(_ sensor: SensorIdentity) {
        self.sensor = sensor
        var traits = sensor.traits()
        ratedPower = traits.pick([
            (36, weight: 0.15), (56, weight: 0.3), (75, weight: 0.25), (100, weight: 0.2), (150, weight: 0.1),
        ])
        switchOnAfterSunset = traits.uniform(-5...15)
        switchOffAfterSunrise = traits.uniform(-15...5)
        standbyPower = traits.uniform(0.2...0.5)
    }

    func isLit(at clock: LocalClock, city: City) -> Bool {
        let sun = SunTimes(city: city, dayOfYear: clock.dayOfYear)
        return clock.hour >= sun.sunset + switchOnAfterSunset / 60 || clock.hour < sun.sunrise + switchOffAfterSunrise / 60
    }

    func values(at clock: LocalClock, time: SimulatedTime, city: City) -> [(Metric, Double)] {
        let jitter = sensor.jitter(.power, at: time)
        guard isLit(at: clock, city: city) else {
            return [(.power, max(0, standbyPower + 0.03 * jitter))]
        }
        let level = Self.dimmedHours.contains(clock.hour) ? Self.dimmedLevel : 1
        // Mains voltage wanders a little, and the driver's draw with it.
        let supply = 1 + 0.015 * sensor.drift(.power, at: clock, period: 0.5)
        return [(.power, ratedPower * level * supply * (1 + 0.005 * jitter))]
    }
}
