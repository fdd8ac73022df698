import Testing

@testable import GatewayCore

@Suite("Topic filters")
struct TopicFilterTests {
    /// MQTT 3.1.1 §4.7 and its examples, plus the sensor-id filters rules use.
    @Test("filters match names as MQTT specifies", arguments: [
        ("sport/tennis/player1/#", "sport/tennis/player1", true),
        ("sport/tennis/player1/#", "sport/tennis/player1/ranking", true),
        ("sport/tennis/player1/#", "sport/tennis/player1/score/wimbledon", true),
        ("sport/tennis/player1/#", "sport/tennis/player2", false),
        ("sport/#", "sport", true),
        ("sport/#", "sport/", true),
        ("sport/#", "sports", false),
        ("#", "anything/at/all", true),
        ("#", "/", true),
        ("sport/tennis/+", "sport/tennis/player1", true),
        ("sport/tennis/+", "sport/tennis/player1/ranking", false),
        ("sport/+", "sport", false),
        ("sport/+", "sport/", true),
        ("+/+", "/finance", true),
        ("/+", "/finance", true),
        ("+", "/finance", false),
        ("+", "finance", true),
        ("+/tennis/#", "sport/tennis", true),
        ("+/tennis/#", "sport/tennis/a/b", true),
        ("+/+/+", "a//c", true),
        ("a/b", "a/b", true),
        ("a/b", "a/b/", false),
        ("a/b", "a", false),
        ("a/b", "A/b", false),
        ("+/water/+", "fes/water/meter-0042", true),
        ("+/water/+", "fes/power/meter-0042", false),
        ("+/water/+", "fes/water/meter/0042", false),
        ("fes/#", "fes/water/meter-0042", true),
        ("fes/#", "rabat/water/meter-0042", false),
        ("fes/water/meter-0042", "fes/water/meter-0042", true),
        ("#", "$SYS/broker/uptime", false),
        ("+/monitor/Clients", "$SYS/monitor/Clients", false),
        ("$SYS/#", "$SYS/broker/uptime", true),
        ("$SYS/monitor/+", "$SYS/monitor/Clients", true),
        ("#", "", false),
        ("+", "", false),
    ])
    func matching(filter: String, name: String, expected: Bool) throws {
        #expect(try TopicFilter(filter).matches(name) == expected)
    }

    @Test("invalid filters say which MQTT rule they break", arguments: [
        ("", #"the filter is empty; expected names or wildcards such as "+/water/+" or "fes/#""#),
        ("sport/tennis#", ##"level 2 "tennis#" mixes a wildcard with text; "+" and "#" must stand alone in their level"##),
        ("sport/#/ranking", ##"level 2 is "#" but is not the last; "#" must be the last level of a filter"##),
        ("sport+", ##"level 1 "sport+" mixes a wildcard with text; "+" and "#" must stand alone in their level"##),
        ("a/++", ##"level 2 "++" mixes a wildcard with text; "+" and "#" must stand alone in their level"##),
        ("#/#", ##"level 1 is "#" but is not the last; "#" must be the last level of a filter"##),
        ("a\u{0}b", "the filter contains a NUL character"),
    ])
    func invalid(filter: String, message: String) {
        #expect(throws: TemplateError(message)) { try TopicFilter(filter) }
    }

    @Test("valid filters keep their text")
    func keepsPattern() throws {
        #expect(try TopicFilter("city/+/+/+/+").pattern == "city/+/+/+/+")
        #expect(try TopicFilter("/").matches("/"))
    }
}
