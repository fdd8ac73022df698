/// A district water meter: flow follows the town's demand (a night minimum between 02:00 and 04:00,
/// a morning and an evening peak), pressure sags a little when demand is high (friction losses grow
/// with the square of the flow).
struct WaterMeterModel: Sendable {
    let sensor: SensorIdentity
    /// The meter's average flow, m³/h: small streets to trunk mains.
    let meanFlow: Double
    /// Pressure at zero demand, bar.
    let staticPressure: Double

    init(_ sensor: SensorIdentity) {
        self.sensor = sensor
        var traits = sensor.traits()
        meanFlow = Math.exp(traits.uniform(Math.log(2)...Math.log(30)))
        staticPressure = traits.uniform(3.7...4.7)
    }

    /// Demand relative to the daily mean, about 0.3 at night to 1.6 at the morning peak.
    /// At weekends people get up later and the morning peak is lower.
    static func demand(hour: Double, weekend: Bool) -> Double {
        let morning = weekend
            ? 1.0 * Math.dailyBump(hour, center: 9, sigma: 1.5)
            : 1.25 * Math.dailyBump(hour, center: 7.5, sigma: 1.4)
        let midday = 0.55 * Math.dailyBump(hour, center: 13.5, sigma: 2.5)
        let evening = 1.05 * Math.dailyBump(hour, center: 20.5, sigma: 1.8)
        return 0.32 + morning + midday + evening
    }

    func values(at clock: LocalClock, time: SimulatedTime, city: City) -> [(Metric, Double)] {
        let base = Self.demand(hour: clock.hour, weekend: city.weekendDays.contains(clock.weekday))
        let dayToDay = 1 + 0.05 * Noise.smooth(Noise.key(sensor.key, 0xDA7), at: Double(clock.day))
        let demand = base * dayToDay * (1 + 0.08 * sensor.drift(.flow, at: clock, period: 0.75))
        let flow = max(0, meanFlow * demand * (1 + 0.02 * sensor.jitter(.flow, at: time)))
        let pressure = staticPressure - 0.14 * demand * demand
            + 0.04 * sensor.drift(.pressure, at: clock, period: 2)
            + 0.01 * sensor.jitter(.pressure, at: time)
        return [(.flow, flow), (.pressure, Math.clamp(pressure, 2.5...5.5))]
    }
}
