import Testing

@testable import GatewayCore

/// Rules select sensors by id with the same filter syntax as MQTT topics (`sensors = "+/water/+"`).
@Suite("Sensor filters")
struct SensorFilterTests {
    let ids = [
        "fes/water/meter-0042",
        "fes/water/meter-0043",
        "fes/power/lamp-7",
        "rabat/water/meter-1",
        "rabat/water/zone-2/meter-9",
    ]

    @Test("a rule's filter selects the sensors it names", arguments: [
        ("+/water/+", ["fes/water/meter-0042", "fes/water/meter-0043", "rabat/water/meter-1"]),
        ("fes/#", ["fes/water/meter-0042", "fes/water/meter-0043", "fes/power/lamp-7"]),
        ("+/+/lamp-7", ["fes/power/lamp-7"]),
        ("rabat/water/#", ["rabat/water/meter-1", "rabat/water/zone-2/meter-9"]),
        ("fes/water/meter-0042", ["fes/water/meter-0042"]),
        ("#", [
            "fes/water/meter-0042", "fes/water/meter-0043", "fes/power/lamp-7", "rabat/water/meter-1",
            "rabat/water/zone-2/meter-9",
        ]),
        ("casablanca/#", []),
    ])
    func selection(filter: String, expected: [String]) throws {
        let compiled = try TopicFilter(filter)
        #expect(ids.filter(compiled.matches) == expected)
    }
}
