import Testing

@testable import GatewayCore

/// Configuration texts and helpers shared by the Config tests.
enum ConfigFixture {
    static let file = "/etc/streetgate/streetgate.toml"

    /// The least a file must say.
    static let minimal = """
        [gateway]
        id = "fes-medina-01"

        [[source]]
        name = "local"
        url = "mqtt://127.0.0.1:1883"
        topics = ["city/+/+/+/+"]
        """

    /// What `minimal` means: the model's defaults and the required values.
    static func minimalConfig() throws -> GatewayConfig {
        GatewayConfig(
            gateway: GatewaySettings(id: "fes-medina-01"),
            sources: [
                SourceConfig(
                    name: "local", url: BrokerURL(scheme: .mqtt, host: "127.0.0.1", port: 1883),
                    topics: [try TopicFilter("city/+/+/+/+")])
            ])
    }

    /// The problems with `toml`, one printed line each.
    static func problems(_ toml: String, environment: [String: String] = [:]) -> [String] {
        ConfigLoader.parse(toml, file: file, environment: environment).problems.map(\.description)
    }

    /// The problems with `minimal` plus `extra` lines.
    static func problems(addingTo extra: String) -> [String] {
        problems(minimal + "\n" + extra)
    }

    /// The line printed for a problem with `key`.
    static func line(_ key: String, _ message: String) -> String {
        "\(file): \(key): \(message)"
    }
}

@Suite("Loading a valid configuration")
struct ConfigLoaderTests {
    @Test("a file with only the required keys means the defaults for everything else")
    func minimalFile() throws {
        #expect(ConfigLoader.parse(ConfigFixture.minimal, file: ConfigFixture.file) == .valid(try ConfigFixture.minimalConfig()))
    }

    @Test("every key the file sets lands in the model")
    func everyKey() throws {
        let toml = """
            [gateway]
            id = "gw_2.test-a"
            data_dir = "/srv/streetgate"
            timezone = "Africa/Casablanca"
            log_level = "debug"

            [buffer]
            max_size = "1GiB"
            retention = "2d"
            sync = "full"
            dead_letters = 50

            [[source]]
            name = "field"
            url = "mqtts://[fd00::7]:8884"
            topics = ["sensors/#", "legacy/+/value"]
            template = "sensors/{site}/{kind}"
            sensor = "{site}"
            metric = "{kind}"
            format = "senml"
            value = "data.v"
            time = ""
            username = "gw"
            password_file = "/etc/streetgate/field.pass"
            ca_file = "/etc/streetgate/ca.pem"
            cert_file = "/etc/streetgate/gw.pem"
            key_file = "/etc/streetgate/gw.key"
            client_id = "gw-field"
            keepalive = "1m"
            qos = 0
            max_payload = "64KiB"
            silence_factor = 20
            silence_min = "30s"

            [aggregate]
            window = "15m"
            grace = "0s"

            [[hub]]
            name = "city"
            url = "mqtts://hub.example.org"
            topic_prefix = "sg/{gateway}/up"
            max_batch = 10000
            max_inflight = 1

            [[rule]]
            name = "night-leak"
            sensors = "+/water/+"
            metric = "flow"
            when = "above"
            threshold = 2
            clear = 1.5
            for = "15m"
            during = "22:00-05:00"
            severity = "critical"

            [[rule]]
            name = "quiet"
            metric = "flow"
            when = "silent"
            for = "1h"
            """
        let config = try #require(ConfigLoader.parse(toml, file: "x.toml").config)
        #expect(
            config.gateway
                == GatewaySettings(id: "gw_2.test-a", dataDir: "/srv/streetgate", timezone: "Africa/Casablanca", logLevel: .debug))
        #expect(config.buffer == BufferConfig(maxSize: 1 << 30, retention: .seconds(172_800), sync: .full, deadLetters: 50))
        let template = try TopicTemplate("sensors/{site}/{kind}")
        #expect(
            config.sources == [
                SourceConfig(
                    name: "field", url: BrokerURL(scheme: .mqtts, host: "fd00::7", port: 8884),
                    topics: [try TopicFilter("sensors/#"), try TopicFilter("legacy/+/value")], template: template,
                    sensor: try NameTemplate("{site}", fieldsOf: template), metric: try NameTemplate("{kind}", fieldsOf: template),
                    format: .senml, valuePath: try JSONPath("data.v"), timePath: nil, username: "gw",
                    passwordFile: "/etc/streetgate/field.pass", caFile: "/etc/streetgate/ca.pem",
                    certFile: "/etc/streetgate/gw.pem", keyFile: "/etc/streetgate/gw.key", clientID: "gw-field",
                    keepalive: .seconds(60), qos: 0, maxPayload: 65_536, silenceFactor: 20, silenceMinimum: .seconds(30))
            ])
        #expect(config.aggregate == AggregateConfig(window: .seconds(900), grace: .zero))
        #expect(
            config.hubs == [
                HubConfig(
                    name: "city", url: BrokerURL(scheme: .mqtts, host: "hub.example.org"), topicPrefix: "sg/{gateway}/up",
                    maxBatch: 10_000, maxInflight: 1)
            ])
        #expect(
            config.rules == [
                RuleConfig(
                    name: "night-leak", sensors: try TopicFilter("+/water/+"), metric: "flow", when: .above, threshold: 2, clear: 1.5,
                    duration: .seconds(900), during: TimeOfDayRange(startMinute: 22 * 60, endMinute: 5 * 60),
                    severity: .critical),
                RuleConfig(name: "quiet", metric: "flow", when: .silent, duration: .seconds(3_600)),
            ])
    }

    @Test("a hub's topic prefix has the gateway id put in")
    func topicPrefix() {
        let hub = HubConfig(name: "city", url: BrokerURL(scheme: .mqtt, host: "hub"))
        #expect(hub.topicPrefix(gateway: "fes-medina-01") == "streetgate/fes-medina-01")
    }

    @Test("data_dir defaults to the first of systemd's STATE_DIRECTORY paths")
    func stateDirectory() {
        let single = ConfigLoader.parse(ConfigFixture.minimal, file: "x", environment: ["STATE_DIRECTORY": "/var/lib/sg"])
        #expect(single.config?.gateway.dataDir == "/var/lib/sg")
        let several = ConfigLoader.parse(
            ConfigFixture.minimal, file: "x", environment: ["STATE_DIRECTORY": "/var/lib/streetgate-a:/var/lib/other"])
        #expect(several.config?.gateway.dataDir == "/var/lib/streetgate-a")
        let none = ConfigLoader.parse(ConfigFixture.minimal, file: "x", environment: ["HOME": "/root"])
        #expect(none.config?.gateway.dataDir == "/var/lib/streetgate")
    }

    @Test("data_dir in the file wins over STATE_DIRECTORY")
    func dataDirInFile() {
        let toml = ConfigFixture.minimal.replacing(
            "id = \"fes-medina-01\"", with: "id = \"fes-medina-01\"\ndata_dir = \"/data\"")
        let result = ConfigLoader.parse(toml, file: "x", environment: ["STATE_DIRECTORY": "/var/lib/sg"])
        #expect(result.config?.gateway.dataDir == "/data")
    }

    @Test("a source with its own template may use its fields in sensor and metric")
    func customTemplate() throws {
        let toml = ConfigFixture.minimal + """

            template = "m/{building}/{floor}/{quantity}"
            sensor = "b{building}-f{floor}"
            metric = "{quantity}"
            """
        let source = try #require(ConfigLoader.parse(toml, file: "x").config?.sources.first)
        #expect(source.sensor.pattern == "b{building}-f{floor}")
        #expect(source.sensor.fieldNames == ["building", "floor"])
    }

    @Test("windows that divide a day are accepted", arguments: ["1s", "1m", "5m", "15m", "1h30m", "1h", "8h", "1d"])
    func windows(window: String) {
        #expect(ConfigFixture.problems(addingTo: "[aggregate]\nwindow = \"\(window)\"\ngrace = \"0s\"") == [])
    }
}
