import GatewayCore

/// A moment on the simulated clock, in milliseconds since the Unix epoch (UTC): the `ts` that
/// payloads carry.
public struct SimulatedTime: Sendable, Hashable, Comparable {
    public var epochMilliseconds: Int64

    public init(epochMilliseconds: Int64) {
        self.epochMilliseconds = epochMilliseconds
    }

    /// A UTC calendar time, e.g. `SimulatedTime(year: 2026, month: 11, day: 26, hour: 14)`.
    public init(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0, millisecond: Int = 0) {
        let days = CivilCalendar.days(year: Int64(year), month: Int64(month), day: Int64(day))
        let seconds = days * 86_400 + Int64(hour) * 3_600 + Int64(minute) * 60 + Int64(second)
        self.init(epochMilliseconds: seconds * 1_000 + Int64(millisecond))
    }

    /// The moment a city's wall clocks show this local time (with the city's fixed UTC offset).
    public static func local(
        _ city: City, year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0
    ) -> SimulatedTime {
        let wall = SimulatedTime(year: year, month: month, day: day, hour: hour, minute: minute)
        return wall.adding(milliseconds: -Int64(city.utcOffsetMinutes) * 60_000)
    }

    public func adding(milliseconds: Int64) -> SimulatedTime {
        SimulatedTime(epochMilliseconds: epochMilliseconds + milliseconds)
    }

    public func adding(hours: Int) -> SimulatedTime {
        adding(milliseconds: Int64(hours) * 3_600_000)
    }

    public static func < (lhs: SimulatedTime, rhs: SimulatedTime) -> Bool {
        lhs.epochMilliseconds < rhs.epochMilliseconds
    }
}

extension SimulatedTime {
    /// Parses an RFC 3339 time the way StreetGate does.
    public init?(rfc3339 text: String) {
        guard let timestamp = Timestamp(rfc3339: text) else { return nil }
        self.init(epochMilliseconds: timestamp.milliseconds)
    }

    /// UTC with milliseconds, as StreetGate writes every time.
    public var rfc3339: String {
        Timestamp(milliseconds: epochMilliseconds).rfc3339
    }
}
