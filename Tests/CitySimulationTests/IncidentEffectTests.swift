import CitySimulation
import Testing

@Suite("Each incident does what its kind says")
struct IncidentEffectTests {
    typealias Fixture = IncidentFixture

    @Test("a night leak keeps the flow 3 to 5 m³/h above the usual, pressure unchanged")
    func nightLeak() {
        let incident = Fixture.incident(.nightLeak, Device(.water, number: 1))
        let during = Fixture.values(of: .flow, incident).filter { incident.isActive(at: $0.time) }
        #expect(during.count == 30)
        for value in during {
            #expect((3.0...5.0).contains(value.changed - value.normal))
        }
        // The same leak all night long: it is a constant offset, not noise.
        let offsets = Set(during.map { (($0.changed - $0.normal) * 1e6).rounded() })
        #expect(offsets.count == 1)
    }

    @Test("a bin fire takes the temperature to 70–90 °C in about ten minutes")
    func binFire() throws {
        let incident = Fixture.incident(.binFire, Device(.waste, number: 3))
        let during = Fixture.values(of: .temperature, incident).filter { incident.isActive(at: $0.time) }
        let first = try #require(during.first)
        #expect(first.changed < 40, "a fire catches, it does not start at its peak")
        let early = during.prefix(8).map(\.changed)
        #expect(zip(early, early.dropFirst()).allSatisfy { $0 < $1 }, "\(early)")
        let burning = during.filter { $0.time >= incident.start.adding(milliseconds: 10 * 60_000) }
        #expect(burning.count >= 19)
        #expect(burning.allSatisfy { (68.0...92.0).contains($0.changed) }, "\(burning.map(\.changed))")
    }

    @Test("a pressure drop takes 1.5 to 2 bar off within a minute")
    func pressureDrop() {
        let incident = Fixture.incident(.pressureDrop, Device(.water, number: 2))
        let during = Fixture.values(of: .pressure, incident).filter { incident.isActive(at: $0.time) }
        #expect(during.count == 30)
        for value in during where value.time >= incident.start.adding(milliseconds: 60_000) {
            #expect((1.5...2.0).contains(value.normal - value.changed))
        }
    }

    @Test("a stuck meter repeats exactly the flow it read when it got stuck")
    func stuckMeter() throws {
        let incident = Fixture.incident(.stuckMeter, Device(.water, number: 3))
        let during = Fixture.values(of: .flow, incident).filter { incident.isActive(at: $0.time) }
        #expect(during.count == 30)
        #expect(Set(during.map(\.changed)).count == 1)
        #expect(Set(during.map(\.normal)).count > 1)
        let frozen = try #require(Fixture.scenario().model.value(of: .flow, device: incident.device, at: incident.start))
        #expect(during[0].changed == frozen)
        // The payloads are byte for byte the same too.
        let payloads = Fixture.scenario([incident]).prefix(Fixture.scenario().messagesPerInterval * 60)
            .filter { $0.topic.hasSuffix("meter-0003/flow") && incident.isActive(at: $0.time) }
            .map(\.payload)
        #expect(Set(payloads.map { String(decoding: $0, as: UTF8.self).split(separator: ",")[0] }).count == 1)
    }

    @Test("a failed lamp draws nothing, though it is night")
    func failedLamp() {
        let incident = Fixture.incident(.failedLamp, Device(.lighting, number: 1))
        let during = Fixture.values(of: .power, incident).filter { incident.isActive(at: $0.time) }
        #expect(during.count == 30)
        #expect(during.allSatisfy { $0.normal > 10 && $0.changed == 0 })
    }

    @Test("a silent sensor sends no message while silent, and only its messages go missing", arguments: PayloadFormat.allCases)
    func silentSensor(format: PayloadFormat) {
        let device = Device(.air, number: 1)
        let incident = Fixture.incident(.silentSensor, device)
        let count = Fixture.scenario().messagesPerInterval * Fixture.intervals
        let normal = Array(Fixture.scenario(format: format).prefix(count))
        let silenced = Array(Fixture.scenario([incident], format: format).prefix(count))
        let topicPart = "/\(device.name)"
        func isSilenced(_ message: SimulatedMessage) -> Bool {
            message.topic.contains(topicPart) && incident.isActive(at: message.time)
        }
        let expected = normal.filter { !isSilenced($0) }
        let missing = normal.count - expected.count
        #expect(missing == 30 * (format.usesSenML(for: .air) ? 1 : 4))
        #expect(Array(silenced.prefix(expected.count)) == expected)
        #expect(!silenced.contains(where: isSilenced))
        #expect(silenced.contains { $0.topic.contains(topicPart) && $0.time >= incident.end! })
    }

    @Test("a spike multiplies one reading of the first metric by ten, at the start, once", arguments: [
        Device(.water, number: 1), Device(.waste, number: 2), Device(.lighting, number: 3), Device(.air, number: 1),
    ])
    func spike(device: Device) throws {
        let incident = Fixture.incident(.spike, device)
        let metric = device.domain.metrics[0]
        let changed = Fixture.values(of: metric, incident).filter { $0.normal != $0.changed }
        #expect(changed.count == 1)
        let spike = try #require(changed.first)
        #expect(spike.changed == spike.normal * 10)
        #expect(spike.time >= incident.start && spike.time < incident.start.adding(milliseconds: Fixture.interval))
    }

    @Test("a spike in a SenML pack changes pm25 only")
    func spikeInPack() {
        let incident = Fixture.incident(.spike, Device(.air, number: 2))
        let count = Fixture.scenario(format: .senml).messagesPerInterval * Fixture.intervals
        let normal = Array(Fixture.scenario(format: .senml).prefix(count))
        let spiked = Array(Fixture.scenario([incident], format: .senml).prefix(count))
        let differing = zip(normal, spiked).filter { $0 != $1 }
        #expect(differing.count == 1)
        if let pair = differing.first {
            let (before, after) = pair
            let records = { (message: SimulatedMessage) in String(decoding: message.payload, as: UTF8.self).split(separator: "}") }
            #expect(zip(records(before), records(after)).filter { $0 != $1 }.count == 1)
            #expect(String(decoding: after.payload, as: UTF8.self).contains("\"n\":\"pm25\""))
        }
    }

    @Test("the same incident is as large on every run, and another start draws another size")
    func deterministic() {
        let incident = Fixture.incident(.nightLeak, Device(.water, number: 2))
        #expect(Array(Fixture.scenario([incident]).prefix(3_000)) == Array(Fixture.scenario([incident]).prefix(3_000)))
        var later = incident
        later.start = incident.start.adding(milliseconds: 60_000)
        let at = incident.start.adding(milliseconds: 5 * 60_000 + 7)
        let first = Fixture.scenario([incident]).readings(of: incident.device, at: at)
        let second = Fixture.scenario([later]).readings(of: incident.device, at: at)
        #expect(first != second)
    }
}
