import Foundation
import Testing

@testable import GatewayCore

/// The shipped `conf/streetgate.toml` promises to show every key at its default: these tests hold
/// it to that, so the file and the model cannot drift apart.
@Suite("The shipped configuration file")
struct ConfigShippedFileTests {
    /// `conf/streetgate.toml`, found from this file's place in the repository.
    static func shippedText() throws -> String {
        let url = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent()  // GatewayCoreTests
            .deletingLastPathComponent()  // Tests
            .deletingLastPathComponent()  // the repository
            .appendingPathComponent("conf/streetgate.toml")
        return try String(contentsOf: url, encoding: .utf8)
    }

    @Test("it parses with no problems, and every value in it is the model's default")
    func valuesAreDefaults() throws {
        let result = ConfigLoader.parse(try Self.shippedText(), file: "conf/streetgate.toml")
        #expect(result.problems == [])
        // Only the keys without a default carry the file's example values.
        let expected = GatewayConfig(
            gateway: GatewaySettings(id: "fes-medina-01"),
            sources: [
                SourceConfig(
                    name: "local", url: BrokerURL(scheme: .mqtt, host: "127.0.0.1", port: 1883),
                    topics: [try TopicFilter("city/+/+/+/+")])
            ])
        #expect(result == .valid(expected))
    }

    @Test("its data_dir is the default only when systemd gives no STATE_DIRECTORY")
    func dataDirLine() throws {
        // The file spells the default out, so it wins over the environment; without the line,
        // STATE_DIRECTORY decides.
        let text = try Self.shippedText()
        let withoutLine = text.split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.hasPrefix("data_dir") }.joined(separator: "\n")
        let environment = ["STATE_DIRECTORY": "/var/lib/streetgate-test"]
        #expect(ConfigLoader.parse(withoutLine, file: "x", environment: environment).config?.gateway.dataDir == "/var/lib/streetgate-test")
        #expect(ConfigLoader.parse(withoutLine, file: "x").config?.gateway.dataDir == GatewaySettings.defaultDataDir)
    }

    @Test("its commented-out [[hub]] and [[rule]] examples parse once uncommented, with the defaults shown")
    func examplesParse() throws {
        // Uncomment `#key = value` lines and the block headers, leaving out the empty-string
        // placeholders of optional keys, which stand for "unset".
        let lines = try Self.shippedText().split(separator: "\n", omittingEmptySubsequences: false).map { line in
            let isExample = line.hasPrefix("#[[") || (line.first == "#" && line.contains(" = ") && !line.hasSuffix("= \"\""))
            let isProse = line.hasPrefix("# ") || line == "#"
            return isExample && !isProse ? String(line.dropFirst()) : String(line)
        }
        let result = ConfigLoader.parse(lines.joined(separator: "\n"), file: "uncommented")
        #expect(result.problems == [])
        let config = try #require(result.config)
        #expect(config.gateway.timezone == "Africa/Casablanca")
        #expect(config.hubs == [HubConfig(name: "city", url: BrokerURL(scheme: .mqtts, host: "hub.example.org"))])
        #expect(
            config.rules == [
                RuleConfig(
                    name: "night-leak", sensors: try TopicFilter("+/water/+"), metric: "flow", when: .above, threshold: 2.0, clear: 1.5,
                    duration: .seconds(900), during: TimeOfDayRange(parsing: "01:00-05:00"))
            ])
    }
}
