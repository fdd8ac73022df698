import CitySimulation
import Testing

@Suite("--incident KIND:DEVICE[@START][+DURATION] is read as the help says")
struct IncidentParsingTests {
    static let defaultStart = SimulatedTime(year: 2026, month: 11, day: 26, minute: 5)

    static func parse(_ text: String) throws -> Incident {
        try Incident(parsing: text, defaultStart: defaultStart)
    }

    @Test("kind, device, start and duration, all given")
    func everything() throws {
        let incident = try Self.parse("night-leak:meter-0002@2026-11-26T01:00:00Z+2h")
        #expect(incident == Incident(
            .nightLeak, device: Device(.water, number: 2), start: SimulatedTime(year: 2026, month: 11, day: 26, hour: 1),
            durationMilliseconds: 7_200_000
        ))
    }

    @Test("without START it begins at the default; without DURATION it never ends")
    func defaults() throws {
        let fire = try Self.parse("bin-fire:bin-0001+30m")
        #expect(fire.start == Self.defaultStart)
        #expect(fire.durationMilliseconds == 1_800_000)
        let spike = try Self.parse("spike:aq-0001")
        #expect(spike.device == Device(.air, number: 1))
        #expect(spike.start == Self.defaultStart)
        #expect(spike.end == nil)
    }

    @Test("a start with its own +01:00 offset is not taken for a duration")
    func offsetStart() throws {
        let utc = SimulatedTime(year: 2026, month: 11, day: 26, hour: 1)
        let plain = try Self.parse("silent-sensor:lamp-0003@2026-11-26T02:00:00+01:00")
        #expect(plain.start == utc)
        #expect(plain.end == nil)
        let timed = try Self.parse("silent-sensor:lamp-0003@2026-11-26T02:00:00+01:00+1h30m")
        #expect(timed.start == utc)
        #expect(timed.durationMilliseconds == 5_400_000)
    }

    @Test("a device is named with or without leading zeros, or numbered where the kind says the domain")
    func deviceSpellings() throws {
        #expect(try Self.parse("stuck-meter:meter-7").device == Device(.water, number: 7))
        #expect(try Self.parse("stuck-meter:7").device == Device(.water, number: 7))
        #expect(try Self.parse("failed-lamp:12+1h").device == Device(.lighting, number: 12))
        #expect(try Self.parse("PRESSURE-DROP:meter-0010").kind == .pressureDrop)
        #expect(Device(name: "bin-0042") == Device(.waste, number: 42))
        #expect(Device(name: "bin-0") == nil)
        #expect(Device(name: "tree-0001") == nil)
        #expect(Device(name: "aq-") == nil)
    }

    @Test("what an incident prints, it reads back", arguments: [
        "night-leak:meter-0002@2026-11-26T01:00:00Z+2h", "bin-fire:bin-0001+1h30m", "spike:aq-0003", "silent-sensor:lamp-0001+45s",
    ])
    func roundTrip(text: String) throws {
        let incident = try Self.parse(text)
        #expect(try Self.parse(incident.description) == incident)
    }

    @Test("a mistake is named with what was expected", arguments: [
        ("bin-fire", "expected KIND:DEVICE[@START][+DURATION]"),
        ("fire:bin-0001", "unknown kind 'fire'; expected one of night-leak, bin-fire, pressure-drop, stuck-meter, failed-lamp, silent-sensor, spike"),
        ("bin-fire:meter-0001", "bin-fire happens to waste bins (bin-NNNN), not to meter-0001"),
        ("night-leak:lamp-0002", "night-leak happens to water meters (meter-NNNN), not to lamp-0002"),
        ("spike:3", "expected DEVICE as a name such as meter-0001, bin-0001, lamp-0001, aq-0001, not '3'"),
        ("bin-fire:bin-0000", "expected DEVICE as a name such as meter-0001, bin-0001, lamp-0001, aq-0001, not 'bin-0000'"),
        ("bin-fire:", "expected DEVICE as a name such as meter-0001, bin-0001, lamp-0001, aq-0001, not ''"),
        ("bin-fire:bin-0001@yesterday", "expected START as an RFC 3339 time such as 2026-11-26T01:00:00Z"),
        ("bin-fire:bin-0001@2026-11-26T01:00:00Z+2x", "expected START as an RFC 3339 time such as 2026-11-26T01:00:00Z"),
        ("bin-fire:bin-0001+1.5h", "expected DURATION such as 30m, 2h or 1h30m, not '1.5h'"),
        ("bin-fire:bin-0001+0s", "DURATION must be longer than 0, not '0s'"),
    ])
    func mistakes(text: String, expected: String) {
        #expect {
            try Self.parse(text)
        } throws: { error in
            (error as? Incident.ParseError)?.message.hasPrefix(expected) == true
        }
    }

    @Test("the kinds are spelled as on the command line")
    func kindNames() {
        #expect(Incident.kindList == "night-leak, bin-fire, pressure-drop, stuck-meter, failed-lamp, silent-sensor, spike")
        #expect(Incident.Kind.allCases.filter { $0.domain == nil } == [.silentSensor, .spike])
    }
}
