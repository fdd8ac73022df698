import CitySimulation
import Testing

@Suite("Readings as the CSV that streetgate replay takes")
struct ReadingCSVTests {
    @Test("a line is RFC 3339 UTC time with milliseconds, {city}/{domain}/{device}, metric, value")
    func line() {
        let reading = Reading(
            device: Device(.waste, number: 1), metric: .temperature, value: 81.26,
            time: SimulatedTime(epochMilliseconds: 1_764_165_540_123)
        )
        #expect(ReadingCSV.header == "time,sensor,metric,value")
        #expect(ReadingCSV.line(reading, city: .fes) == "2025-11-26T13:59:00.123Z,fes/waste/bin-0001,temperature,81.3")
    }

    @Test("values have the decimals of the payloads")
    func decimals() {
        let time = SimulatedTime(year: 2026, month: 11, day: 26)
        let flow = Reading(device: Device(.water, number: 12), metric: .flow, value: 2.4104, time: time)
        #expect(ReadingCSV.line(flow, city: .alexandria) == "2026-11-26T00:00:00.000Z,alexandria/water/meter-0012,flow,2.41")
        let pm = Reading(device: Device(.air, number: 2), metric: .pm25, value: 12, time: time)
        #expect(ReadingCSV.line(pm, city: .tunis) == "2026-11-26T00:00:00.000Z,tunis/air/aq-0002,pm25,12")
    }
}
