/// A city's air temperature and humidity: the seasons, a daily cycle (coolest before dawn, warmest
/// mid-afternoon) and weather that drifts over days. City-wide, so neighbouring sensors agree.
struct Climate: Sendable, Hashable {
    var annualMean: Double
    /// Half the difference between the warmest and the coldest month.
    var seasonalSwing: Double
    /// Typical difference between the afternoon high and the pre-dawn low.
    var dailyRange: Double
    var humidityMean: Double

    /// -1 at 06:00, +1 at 15:00: warming for 9 hours, cooling for 15.
    static func dailyShape(_ hour: Double) -> Double {
        if hour >= 6, hour <= 15 {
            return -Math.cos(Math.pi * (hour - 6) / 9)
        }
        let sinceWarmest = (hour - 15 + 24).truncatingRemainder(dividingBy: 24)
        return Math.cos(Math.pi * sinceWarmest / 15)
    }

    func temperature(at clock: LocalClock, sensor: SensorIdentity) -> Double {
        // Coldest around 20 January.
        let season = annualMean - seasonalSwing * Math.yearly(clock.dayOfYear, peakDay: 20)
        let day = dailyRange / 2 * Self.dailyShape(clock.hour)
        let weather = 2.5 * sensor.cityDrift("weather", at: clock, period: 48)
        return season + day + weather
    }

    func relativeHumidity(at clock: LocalClock, sensor: SensorIdentity) -> Double {
        let season = humidityMean + 8 * Math.yearly(clock.dayOfYear, peakDay: 20)
        // Relative humidity falls as the air warms through the day.
        let day = -2.2 * dailyRange / 2 * Self.dailyShape(clock.hour)
        let weather = 8 * sensor.cityDrift("moisture", at: clock, period: 36)
        return Math.clamp(season + day + weather, 12...98)
    }
}
