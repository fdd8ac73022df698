/// The cities the simulator knows, with what the models need: where the sun is, what the clocks say,
/// how warm it is and how dusty the air.
///
/// UTC offsets are fixed (no daylight saving): Morocco keeps +1 most of the year, Tunisia +1,
/// Egypt +2. Close enough for a simulator; the gateway itself uses real time zones.
public enum City: String, CaseIterable, Sendable {
    case fes
    case tunis
    case alexandria

    public var latitude: Double {
        switch self {
        case .fes: 34.03
        case .tunis: 36.81
        case .alexandria: 31.20
        }
    }

    /// Degrees east.
    public var longitude: Double {
        switch self {
        case .fes: -5.00
        case .tunis: 10.18
        case .alexandria: 29.92
        }
    }

    public var utcOffsetMinutes: Int {
        switch self {
        case .fes, .tunis: 60
        case .alexandria: 120
        }
    }

    /// ISO weekdays without the working-week traffic: Saturday and Sunday, or Friday and Saturday in Egypt.
    var weekendDays: Set<Int> {
        switch self {
        case .fes, .tunis: [6, 7]
        case .alexandria: [5, 6]
        }
    }

    var climate: Climate {
        switch self {
        case .fes: Climate(annualMean: 18, seasonalSwing: 8.5, dailyRange: 12, humidityMean: 60)
        case .tunis: Climate(annualMean: 18.5, seasonalSwing: 7.5, dailyRange: 9, humidityMean: 66)
        case .alexandria: Climate(annualMean: 20.5, seasonalSwing: 6.5, dailyRange: 7, humidityMean: 67)
        }
    }

    /// Typical urban-background PM2.5 in µg/m³, before traffic, season and weather.
    var fineDustBaseline: Double {
        switch self {
        case .fes: 20
        case .tunis: 24
        case .alexandria: 34
        }
    }

    func clock(at time: SimulatedTime) -> LocalClock {
        LocalClock(time, utcOffsetMinutes: utcOffsetMinutes)
    }
}
