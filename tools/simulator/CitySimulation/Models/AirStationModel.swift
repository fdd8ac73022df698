/// An air-quality station: fine dust (PM2.5) rises with the morning and evening traffic, is higher in
/// winter and on still days (when it is not blown away), and coarse dust (PM10) adds to it, more so
/// during city-wide dust episodes. Temperature and humidity follow the city's climate.
struct AirStationModel: Sendable {
    let sensor: SensorIdentity
    /// Kerbside stations read more than those in a park.
    let siteFactor: Double
    /// Usual PM10 / PM2.5 ratio at this site.
    let coarseRatio: Double
    let temperatureOffset: Double
    let humidityOffset: Double

    init(_ sensor: SensorIdentity) {
        self.sensor = sensor
        var traits = sensor.traits()
        siteFactor = traits.uniform(0.8...1.35)
        coarseRatio = traits.uniform(1.5...2.0)
        temperatureOffset = traits.uniform(-0.8...0.8)
        humidityOffset = traits.uniform(-4...4)
    }

    /// Traffic relative to the quiet night: rush hours at 08:15 and 18:45, less so at weekends.
    static func traffic(hour: Double, weekend: Bool) -> Double {
        let morning = (weekend ? 0.35 : 0.8) * Math.dailyBump(hour, center: 8.25, sigma: 1.2)
        let midday = 0.35 * Math.dailyBump(hour, center: 13.5, sigma: 2)
        let evening = (weekend ? 0.6 : 0.85) * Math.dailyBump(hour, center: 18.75, sigma: 1.6)
        return 0.5 + morning + midday + evening
    }

    func values(at clock: LocalClock, time: SimulatedTime, city: City) -> [(Metric, Double)] {
        let traffic = Self.traffic(hour: clock.hour, weekend: city.weekendDays.contains(clock.weekday))
        // Winter inversions trap dust near the ground.
        let season = 1 + 0.2 * Math.yearly(clock.dayOfYear, peakDay: 15)
        let stagnation = Math.exp(0.35 * sensor.cityDrift("stagnation", at: clock, period: 30))
        let local = 1 + 0.1 * sensor.drift(.pm25, at: clock, period: 1.5)
        let fine = city.fineDustBaseline * traffic * season * stagnation * siteFactor * local
            * (1 + 0.04 * sensor.jitter(.pm25, at: time))
        let dust = max(0, sensor.cityDrift("dust", at: clock, period: 40))
        let coarse = fine * coarseRatio * (1 + 1.2 * dust * dust) * (1 + 0.04 * sensor.jitter(.pm10, at: time))

        let climate = city.climate
        let temperature = climate.temperature(at: clock, sensor: sensor) + temperatureOffset
            + 0.1 * sensor.jitter(.temperature, at: time)
        let humidity = climate.relativeHumidity(at: clock, sensor: sensor) + humidityOffset
            + 0.5 * sensor.jitter(.humidity, at: time)
        return [
            (.pm25, max(0, fine)), (.pm10, max(0, coarse)),
            (.temperature, temperature), (.humidity, Math.clamp(humidity, 5...100)),
        ]
    }
}
