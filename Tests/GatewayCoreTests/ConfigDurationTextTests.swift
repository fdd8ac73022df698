import Testing

@testable import GatewayCore

@Suite("Durations in the configuration")
struct ConfigDurationTextTests {
    @Test(
        "a number and a unit read as that duration",
        arguments: [
            ("500ms", Duration.milliseconds(500)), ("30s", .seconds(30)), ("15m", .seconds(900)),
            ("2h", .seconds(7_200)), ("14d", .seconds(14 * 86_400)), ("0s", .zero),
        ])
    func singleUnits(text: String, expected: Duration) {
        #expect(DurationText.parse(text) == expected)
    }

    @Test("units combine from the largest down")
    func combinations() {
        #expect(DurationText.parse("1h30m") == .seconds(5_400))
        #expect(DurationText.parse("1d2h3m4s5ms") == .milliseconds(93_784_005))
    }

    @Test(
        "anything else is not a duration",
        arguments: [
            "", "30", "s", "1.5h", "30 s", " 30s", "30s ", "-5s", "+5s", "30S", "30sec", "1m1h", "1h1h",
            "5us", "1h30", "99999999999999999999d", "106751991167301d",
        ])
    func rejects(text: String) {
        #expect(DurationText.parse(text) == nil)
    }

    @Test("a formatted duration reads back as itself")
    func roundTrip() {
        for text in ["500ms", "30s", "15m", "2h", "14d", "1h30m", "1d1ms", "0s"] {
            let duration = DurationText.parse(text)!
            #expect(DurationText.format(duration) == text)
        }
        #expect(DurationText.format(.seconds(86_400)) == "1d")
        #expect(DurationText.format(.seconds(3_600)) == "1h")
    }
}
