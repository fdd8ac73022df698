import CitySimulation
import Testing

@Suite("A scenario is reproducible")
struct DeterminismTests {
    static func scenario(seed: UInt64, format: PayloadFormat = .mixed) -> Scenario {
        Scenario(
            seed: seed, city: .fes, counts: DeviceCounts(meters: 4, bins: 4, lamps: 4, airStations: 2),
            start: SimulatedTime(year: 2026, month: 11, day: 26), intervalMilliseconds: 5_000, format: format
        )
    }

    @Test("the same seed gives the same messages, byte for byte")
    func sameSeed() {
        for format in PayloadFormat.allCases {
            let first = Array(Self.scenario(seed: 42, format: format).prefix(500))
            let second = Array(Self.scenario(seed: 42, format: format).prefix(500))
            #expect(first.count == 500)
            #expect(first == second)
        }
    }

    @Test("a different seed gives different values")
    func differentSeed() {
        let first = Array(Self.scenario(seed: 42).prefix(200))
        let second = Array(Self.scenario(seed: 43).prefix(200))
        #expect(first.map(\.payload) != second.map(\.payload))
        let samePayloads = zip(first, second).filter { $0.payload == $1.payload && $0.topic == $1.topic }.count
        #expect(samePayloads < 20)
    }

    @Test("a reading does not depend on when the simulation started")
    func independentOfStart() {
        let model = CityModel(city: .tunis, seed: 7)
        let device = Device(.waste, number: 3)
        let time = SimulatedTime(year: 2026, month: 3, day: 4, hour: 15, minute: 20)
        let direct = model.readings(of: device, at: time)
        let startedEarlier = Scenario(
            seed: 7, city: .tunis, counts: DeviceCounts(meters: 0, bins: 3, lamps: 0, airStations: 0),
            start: time.adding(hours: -30), intervalMilliseconds: 60_000
        )
        #expect(startedEarlier.model.readings(of: device, at: time) == direct)
    }
}
