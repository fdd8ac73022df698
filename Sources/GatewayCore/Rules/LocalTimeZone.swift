/// Local wall-clock time, for rules with `during`.
///
/// The core reads no time zone database: the daemon implements this with Foundation's `TimeZone`
/// for `gateway.timezone` (IANA rules, DST and Ramadan shifts included), and tests use
/// `FixedOffsetZone` or an adapter of their own.
public protocol LocalTimeZone: Sendable {
    /// Minutes after local midnight at `time`, in 0..<1440, by the wall clock of that moment:
    /// in summer time an hour later than in winter for the same UTC time.
    func minuteOfDay(at time: Timestamp) -> Int
}

/// A zone that is always the same offset from UTC: UTC itself, a zone without DST, or a test's.
///
/// Also the building block of a real zone: find the offset in force at `time`, then ask
/// `FixedOffsetZone(secondsEast: offset).minuteOfDay(at: time)`.
public struct FixedOffsetZone: LocalTimeZone, Hashable {
    /// Seconds ahead of UTC: 3600 for UTC+01:00, -18000 for UTC-05:00.
    public var secondsEast: Int

    public init(secondsEast: Int) {
        self.secondsEast = secondsEast
    }

    public static let utc = FixedOffsetZone(secondsEast: 0)

    public func minuteOfDay(at time: Timestamp) -> Int {
        let local = time.milliseconds &+ Int64(secondsEast) &* 1000
        let minutes = local.floorDivided(by: 60_000) % Int64(TimeOfDayRange.minutesPerDay)
        return Int(minutes < 0 ? minutes + Int64(TimeOfDayRange.minutesPerDay) : minutes)
    }
}
