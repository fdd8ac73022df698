import CitySimulation
import Testing

@Suite("Simulated time reads and writes like StreetGate's")
struct TimeTests {
    @Test("simulated times are written in UTC with milliseconds, and read back the same")
    func roundTrip() {
        let time = SimulatedTime(epochMilliseconds: 1_764_165_540_123)
        #expect(time.rfc3339 == "2025-11-26T13:59:00.123Z")
        #expect(SimulatedTime(rfc3339: "2025-11-26T14:59:00.123+01:00") == time)
        #expect(SimulatedTime(rfc3339: "now") == nil)
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
