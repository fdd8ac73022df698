import CitySimulation
import Testing

@Suite("Simulated time reads and writes like StreetGate's")
struct TimeTests {
    @Test("RFC 3339 times parse to epoch milliseconds")
    func parse() {
        #expect(RFC3339.parse("1970-01-01T00:00:00Z")?.epochMilliseconds == 0)
        #expect(RFC3339.parse("2025-11-26T13:59:00.123Z")?.epochMilliseconds == 1_764_165_540_123)
        #expect(RFC3339.parse("2025-11-26T14:59:00.123+01:00")?.epochMilliseconds == 1_764_165_540_123)
        #expect(RFC3339.parse("2025-11-26T13:59:00.1Z")?.epochMilliseconds == 1_764_165_540_100)
        #expect(RFC3339.parse("2024-02-29T00:00:00Z") != nil)
        for bad in ["2025-02-29T00:00:00Z", "2025-11-26", "2025-11-26T24:00:00Z", "2025-11-26T13:59:00", "now", "2025-11-26T13:59:00Zx"] {
            #expect(RFC3339.parse(bad) == nil, "\(bad)")
        }
    }

    @Test("times are written in UTC with milliseconds, and read back the same")
    func roundTrip() {
        let time = SimulatedTime(epochMilliseconds: 1_764_165_540_123)
        #expect(RFC3339.format(time) == "2025-11-26T13:59:00.123Z")
        #expect(RFC3339.format(SimulatedTime(epochMilliseconds: -1)) == "1969-12-31T23:59:59.999Z")
        for milliseconds in stride(from: Int64(-5_000_000_000_000), to: 5_000_000_000_000, by: 123_456_789_013) {
            let time = SimulatedTime(epochMilliseconds: milliseconds)
            #expect(RFC3339.parse(RFC3339.format(time)) == time)
        }
    }

    @Test("durations read like the configuration's")
    func durations() {
        #expect(DurationText.milliseconds("500ms") == 500)
        #expect(DurationText.milliseconds("5s") == 5_000)
        #expect(DurationText.milliseconds("1.5s") == 1_500)
        #expect(DurationText.milliseconds("15m") == 900_000)
        #expect(DurationText.milliseconds("2h") == 7_200_000)
        #expect(DurationText.milliseconds("1d") == 86_400_000)
        for bad in ["", "5", "s", "-5s", "5 s", "5x", "1e3s", "five s"] {
            #expect(DurationText.milliseconds(bad) == nil, "\(bad)")
        }
    }

    @Test("a city's local clock has its own hour, day of year and weekday")
    func localClock() {
        // 2026-11-26 is a Thursday; 23:30 UTC is already Friday in Cairo's time.
        let time = SimulatedTime(year: 2026, month: 11, day: 26, hour: 23, minute: 30)
        let fes = LocalClock(time, utcOffsetMinutes: City.fes.utcOffsetMinutes)
        let alexandria = LocalClock(time, utcOffsetMinutes: City.alexandria.utcOffsetMinutes)
        #expect(fes.hour == 0.5)
        #expect(fes.weekday == 5)
        #expect(alexandria.hour == 1.5)
        #expect(alexandria.dayOfYear == 331)
        #expect(LocalClock(SimulatedTime(year: 2026, month: 1, day: 1), utcOffsetMinutes: 0).dayOfYear == 1)
        #expect(LocalClock(SimulatedTime(year: 2024, month: 12, day: 31), utcOffsetMinutes: 0).dayOfYear == 366)
        #expect(SimulatedTime.local(.fes, year: 2026, month: 11, day: 27, hour: 0, minute: 30) == time)
    }
}
