/// What a city's wall clock and calendar say at a simulated time: the sensor models are written in
/// local terms (night minimum at 03:00, traffic at 08:00), so they read this rather than UTC.
public struct LocalClock: Sendable, Hashable {
    /// Hours since local midnight, 0 ..< 24.
    public let hour: Double
    /// Local days since 1970-01-01.
    public let day: Int64
    /// 1 for 1 January.
    public let dayOfYear: Int
    /// ISO weekday: 1 Monday … 7 Sunday.
    public let weekday: Int

    public init(_ time: SimulatedTime, utcOffsetMinutes: Int) {
        let localMilliseconds = time.epochMilliseconds + Int64(utcOffsetMinutes) * 60_000
        day = CivilCalendar.floorDivide(localMilliseconds, 86_400_000)
        hour = Double(localMilliseconds - day * 86_400_000) / 3_600_000
        let date = CivilCalendar.date(days: day)
        dayOfYear = Int(day - CivilCalendar.days(year: date.year, month: 1, day: 1)) + 1
        // 1970-01-01 was a Thursday.
        weekday = Int((day % 7 + 7 + 3) % 7) + 1
    }

    /// Local hours since the epoch: a continuous time axis for curves that span days.
    public var hoursSinceEpoch: Double {
        Double(day) * 24 + hour
    }
}
