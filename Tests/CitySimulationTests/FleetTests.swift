import CitySimulation
import Testing

@Suite("The fleet reports once per interval, in time order")
struct FleetTests {
    let counts = DeviceCounts(meters: 5, bins: 4, lamps: 3, airStations: 2)
    let start = SimulatedTime(year: 2026, month: 11, day: 26)

    @Test("devices are named by domain with four digits")
    func names() {
        #expect(Device(.water, number: 1).name == "meter-0001")
        #expect(Device(.waste, number: 42).name == "bin-0042")
        #expect(Device(.lighting, number: 1234).name == "lamp-1234")
        #expect(Device(.air, number: 5).name == "aq-0005")
        #expect(counts.devices.count == 14)
    }

    @Test("messages come in simulated-time order, each device once per interval")
    func order() {
        for format in PayloadFormat.allCases {
            let scenario = Scenario(
                seed: 1, city: .alexandria, counts: counts, start: start, intervalMilliseconds: 10_000, format: format
            )
            let messages = Array(scenario.prefix(scenario.messagesPerInterval * 3))
            #expect(zip(messages, messages.dropFirst()).allSatisfy { $0.time <= $1.time })
            for interval in 0..<3 {
                let from = start.adding(milliseconds: Int64(interval) * 10_000)
                let to = from.adding(milliseconds: 10_000)
                let inInterval = messages.filter { $0.time >= from && $0.time < to }
                #expect(inInterval.count == scenario.messagesPerInterval)
            }
        }
    }

    @Test("mixed sends air quality as one SenML pack per station, the rest one message per metric")
    func messageCounts() {
        let mixed = Scenario(seed: 1, city: .fes, counts: counts, start: start, intervalMilliseconds: 5_000)
        #expect(mixed.messagesPerInterval == 5 * 2 + 4 * 2 + 3 * 1 + 2)
        let json = Scenario(seed: 1, city: .fes, counts: counts, start: start, intervalMilliseconds: 5_000, format: .json)
        #expect(json.messagesPerInterval == 5 * 2 + 4 * 2 + 3 * 1 + 2 * 4)
        let senml = Scenario(seed: 1, city: .fes, counts: counts, start: start, intervalMilliseconds: 5_000, format: .senml)
        #expect(senml.messagesPerInterval == 14)
    }

    @Test("devices report at different phases, so domains interleave")
    func phases() {
        let fleet = Fleet(seed: 9, city: .fes, counts: counts, intervalMilliseconds: 60_000)
        #expect(fleet.members.allSatisfy { (0..<60_000).contains($0.phase) })
        #expect(Set(fleet.members.map(\.phase)).count > 10)
        let domains = fleet.members.map(\.device.domain)
        let switches = zip(domains, domains.dropFirst()).filter { $0 != $1 }.count
        #expect(switches > 3)
    }

    @Test("an empty fleet sends nothing")
    func emptyFleet() {
        let none = DeviceCounts(meters: 0, bins: 0, lamps: 0, airStations: 0)
        let scenario = Scenario(seed: 1, city: .fes, counts: none, start: start, intervalMilliseconds: 5_000)
        #expect(Array(scenario.prefix(10)).isEmpty)
    }
}
