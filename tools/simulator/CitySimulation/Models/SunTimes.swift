/// Sunrise and sunset in local clock hours for a city and a day of the year.
///
/// Uses the textbook approximations: Cooper's solar declination, a three-term equation of time and
/// the standard -0.833° altitude for the upper limb with refraction. Good to a few minutes, which
/// is better than the photocells of real street lamps.
public struct SunTimes: Sendable, Hashable {
    /// Local hours, e.g. 7.25 for 07:15.
    public let sunrise: Double
    public let sunset: Double

    public init(city: City, dayOfYear: Int) {
        let day = Double(dayOfYear)
        let declination = Math.radians(23.44) * Math.sin(2 * Math.pi * (284 + day) / 365)
        let b = 2 * Math.pi * (day - 81) / 364
        let equationOfTimeMinutes = 9.87 * Math.sin(2 * b) - 7.53 * Math.cos(b) - 1.5 * Math.sin(b)
        let solarNoon = 12 - city.longitude / 15 + Double(city.utcOffsetMinutes) / 60 - equationOfTimeMinutes / 60
        let latitude = Math.radians(city.latitude)
        let cosHourAngle = (Math.sin(Math.radians(-0.833)) - Math.sin(latitude) * Math.sin(declination))
            / (Math.cos(latitude) * Math.cos(declination))
        let halfDay = Math.degrees(Math.acos(Math.clamp(cosHourAngle, -1...1))) / 15
        sunrise = solarNoon - halfDay
        sunset = solarNoon + halfDay
    }

    public var dayLength: Double {
        sunset - sunrise
    }

    /// 0 at night, rising to 1 at solar noon: how strongly the sun heats what stands in it.
    func sunshine(at hour: Double) -> Double {
        guard hour > sunrise, hour < sunset else { return 0 }
        return Math.sin(Math.pi * (hour - sunrise) / dayLength)
    }
}
