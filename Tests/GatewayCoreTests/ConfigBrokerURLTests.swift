import Testing

@testable import GatewayCore

@Suite("Broker addresses")
struct ConfigBrokerURLTests {
    @Test("the port defaults to 1883 for mqtt and 8883 for mqtts")
    func defaultPorts() throws {
        #expect(try BrokerURL(parsing: "mqtt://broker.local") == BrokerURL(scheme: .mqtt, host: "broker.local", port: 1883))
        #expect(try BrokerURL(parsing: "mqtts://hub.example.org") == BrokerURL(scheme: .mqtts, host: "hub.example.org", port: 8883))
    }

    @Test("a given port is kept")
    func explicitPort() throws {
        let url = try BrokerURL(parsing: "mqtt://127.0.0.1:1884")
        #expect(url.scheme == .mqtt)
        #expect(url.host == "127.0.0.1")
        #expect(url.port == 1884)
    }

    @Test("an IPv6 address goes in brackets, which are not part of the host")
    func ipv6() throws {
        #expect(try BrokerURL(parsing: "mqtt://[::1]:1883") == BrokerURL(scheme: .mqtt, host: "::1"))
        #expect(try BrokerURL(parsing: "mqtts://[fe80::1]") == BrokerURL(scheme: .mqtts, host: "fe80::1"))
        #expect(BrokerURL(scheme: .mqtt, host: "::1").description == "mqtt://[::1]:1883")
    }

    @Test("the description reads back as the same address")
    func roundTrip() throws {
        for text in ["mqtt://127.0.0.1:1883", "mqtts://hub.example.org:8883", "mqtt://[::1]:1999"] {
            #expect(try BrokerURL(parsing: text).description == text)
        }
    }

    @Test(
        "anything but a scheme, a host and a port is refused",
        arguments: [
            "http://broker", "broker:1883", "mqtt://", "mqtt://:1883", "mqtt://broker:", "mqtt://broker:0",
            "mqtt://broker:65536", "mqtt://broker:+1", "mqtt://user@broker", "mqtt://broker/path",
            "mqtt://broker?x=1", "mqtt://::1", "mqtt://[::1", "mqtt://[::1]1883", "mqtt://[]", "MQTT://broker",
            "mqtt://bro ker",
        ])
    func rejects(text: String) {
        #expect(throws: BrokerURLError.self) { try BrokerURL(parsing: text) }
    }

    @Test("a wrong scheme says which schemes are meant")
    func wrongScheme() {
        #expect(throws: BrokerURLError("a url starting with mqtt:// or mqtts://")) {
            try BrokerURL(parsing: "tcp://broker")
        }
    }
}
