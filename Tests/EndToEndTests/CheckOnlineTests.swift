// Contract checked here (contract.md, Command line, `check --online`): one PASS or FAIL line per
// item, each FAIL followed by what to do next; every source broker is connected to and subscribed
// at, every hub connected to with its TLS verified, under client ids of check's own and clean
// sessions; the database passes quick_check; exit 1 on any FAIL, 0 otherwise. The clock line
// reads the kernel's state, which this machine may or may not have synchronised: the tests assert
// the line and let the exit status follow it.
import Foundation
import GatewayCore
import GatewayStore
import TestSupport
import Testing

@Suite("check --online against real brokers", .serialized)
struct CheckOnlineTests {
    /// A config in a fresh directory with one source and the given `[[hub]]` blocks.
    struct Setup {
        let directory: TemporaryDirectory
        let path: String
        var dataDir: String { directory.file("data") }

        init(id: String, source: String, hubs: [(name: String, url: String, extra: String)] = []) throws {
            directory = try TemporaryDirectory("streetgate-check")
            path = directory.file("streetgate.toml")
            var text = """
                [gateway]
                id = "\(id)"
                data_dir = "\(directory.file("data"))"

                [[source]]
                name = "local"
                url = "\(source)"
                topics = ["city/+/+/+/+"]

                """
            for hub in hubs {
                text += "\n[[hub]]\nname = \"\(hub.name)\"\nurl = \"\(hub.url)\"\n\(hub.extra)\n"
            }
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        }

        func check(_ arguments: [String] = ["--online"]) throws -> CommandResult {
            try runProduct("streetgate", ["check", "--config", path] + arguments)
        }
    }

    /// The line for `item`, and the "→" line under it if any.
    static func line(_ output: String, _ item: String) -> (verdict: String, text: String, next: String?)? {
        let lines = output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let index = lines.firstIndex(where: { $0.dropFirst(6).hasPrefix(item + " ") }) else { return nil }
        let next = index + 1 < lines.count && lines[index + 1].hasPrefix("      → ") ? String(lines[index + 1].dropFirst(8)) : nil
        return (String(lines[index].prefix(4)), lines[index], next)
    }

    /// Every line is PASS, but the clock's may be FAIL on a machine without time sync; the exit
    /// status says whether anything failed.
    static func expectPassingApartFromClock(_ result: CommandResult, items: [String]) throws {
        for item in items {
            let found = try #require(line(result.stdout, item), "a line for \(item) in\n\(result.stdout)")
            #expect(found.verdict == "PASS", "\(found.text)")
        }
        let clock = try #require(line(result.stdout, "clock"), "\(result.stdout)")
        #expect(result.status == (clock.verdict == "PASS" ? 0 : 1), "\(result.stdout)")
        if clock.verdict == "FAIL" {
            #expect(clock.next == "enable systemd-timesyncd or chrony")
        }
    }

    @Test("a reachable source and a TLS hub with the right CA pass, under check's own clean-session client ids")
    func allReachable() async throws {
        let source = try MosquittoBroker()
        let certificates = try TestCertificates.make()
        let hub = try await TLSBroker(certificates)
        let setup = try Setup(id: "check-ok", source: source.url, hubs: [
            ("city", "mqtts://127.0.0.1:\(hub.tlsPort)", "ca_file = \"\(certificates.caFile)\""),
        ])
        let result = try setup.check()
        try Self.expectPassingApartFromClock(result, items: ["config", "data_dir", "disk", "database", "source local", "hub city"])
        #expect(Self.line(result.stdout, "hub city")?.text.contains("TLS verified") == true)
        #expect(Self.line(result.stdout, "source local")?.text.contains("subscribed to city/+/+/+/+") == true)
        #expect(Self.line(result.stdout, "database")?.text.contains("no database yet") == true)
        // Items aligned: after "PASS  " and the longest item ("source local"), every detail starts at column 20.
        for line in result.stdout.split(separator: "\n") where line.hasPrefix("PASS") || line.hasPrefix("FAIL") {
            let characters = Array(line)
            #expect(characters.count > 20 && characters[18] == " " && characters[19] == " " && characters[20] != " ", "\(line)")
        }
        // Client ids of its own, clean sessions (c1): the daemon's persistent session is untouched.
        // Sources speak MQTT 5 (p5), hubs 3.1.1 (p2).
        try await eventually("the broker to log the check's connection") {
            let log = (try? String(contentsOfFile: source.logFile, encoding: .utf8)) ?? ""
            return log.contains("as streetgate-check-check-ok-local (p5, c1")
        }
        let hubLog = (try? String(contentsOfFile: hub.broker.logFile, encoding: .utf8)) ?? ""
        #expect(hubLog.contains("as streetgate-check-check-ok-hub-city (p2, c1"))
        #expect(!FileManager.default.fileExists(atPath: setup.dataDir), "check creates nothing in data_dir")
    }

    @Test("an unreachable hub fails with what to do next, and exits 1")
    func unreachableHub() throws {
        let source = try MosquittoBroker()
        let downPort = try Ports.ephemeral()
        let setup = try Setup(id: "check-down", source: source.url, hubs: [("city", "mqtts://127.0.0.1:\(downPort)", "")])
        let result = try setup.check()
        #expect(result.status == 1)
        let hub = try #require(Self.line(result.stdout, "hub city"), "\(result.stdout)")
        #expect(hub.verdict == "FAIL")
        #expect(hub.text.contains("Connection refused"), "\(hub.text)")
        #expect(hub.next?.contains("127.0.0.1:\(downPort) is reachable") == true, "\(hub.next ?? "no next step")")
        #expect(Self.line(result.stdout, "source local")?.verdict == "PASS")
    }

    @Test("a TLS hub whose certificate does not chain to ca_file fails, naming the certificate")
    func wrongCA() async throws {
        let source = try MosquittoBroker()
        let certificates = try TestCertificates.make()
        let hub = try await TLSBroker(certificates)
        let setup = try Setup(id: "check-tls", source: source.url, hubs: [
            ("city", "mqtts://127.0.0.1:\(hub.tlsPort)", "ca_file = \"\(certificates.wrongCAFile)\""),
        ])
        let result = try setup.check()
        #expect(result.status == 1)
        let line = try #require(Self.line(result.stdout, "hub city"), "\(result.stdout)")
        #expect(line.verdict == "FAIL")
        #expect(line.text.contains("certificate"), "\(line.text)")
        #expect(line.next?.contains("hub[0].ca_file") == true)
    }

    @Test("a subscription the broker refuses fails as \"subscribe refused\"")
    func subscriptionRefused() throws {
        // mosquitto 2.0's acl_file never refuses a SUBSCRIBE (it filters messages on delivery); its
        // dynamic security plugin does, with granted QoS 0x80, when subscribing is denied by default.
        let plugin = try #require(
            ["/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib/arm-linux-gnueabihf", "/usr/lib", "/usr/local/lib"]
                .map { "\($0)/mosquitto_dynamic_security.so" }
                .first { FileManager.default.fileExists(atPath: $0) },
            "mosquitto's dynamic security plugin (package mosquitto)"
        )
        let security = try TemporaryDirectory("streetgate-dynsec")
        try """
        {"defaultACLAccess": {"publishClientSend": true, "publishClientReceive": true, "subscribe": false, "unsubscribe": true},
         "clients": [], "groups": [], "roles": []}
        """.write(toFile: security.file("dynamic-security.json"), atomically: true, encoding: .utf8)
        let source = try MosquittoBroker(extraConfig: """
            plugin \(plugin)
            plugin_opt_config_file \(security.file("dynamic-security.json"))
            """)
        let setup = try Setup(id: "check-acl", source: source.url)
        let result = try setup.check()
        #expect(result.status == 1)
        let line = try #require(Self.line(result.stdout, "source local"), "\(result.stdout)")
        #expect(line.verdict == "FAIL")
        #expect(line.text.contains("subscribe refused for city/+/+/+/+"), "\(line.text)")
        #expect(line.next?.contains("broker's ACL") == true)
    }

    @Test("a database damaged past its header, or garbage from the first byte, fails quick_check", arguments: [false, true])
    func corruptDatabase(fromFirstByte: Bool) throws {
        let source = try MosquittoBroker()
        let setup = try Setup(id: "check-db", source: source.url)
        try FileManager.default.createDirectory(atPath: setup.dataDir, withIntermediateDirectories: true)
        let database = setup.dataDir + "/streetgate.db"
        let writer = try bufferWriter(path: database)
        try writer.commit(readings: (0..<5_000).map { step in
            Reading(sensor: "fes/air/aq-\(step % 50)", metric: "pm25", time: Timestamp(milliseconds: Int64(step)), value: 1)
        })
        try writer.close()
        let before = try setup.check()
        #expect(Self.line(before.stdout, "database")?.verdict == "PASS", "\(before.stdout)")

        // Keep the first page (header and schema) unless told otherwise; overwrite the rest.
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: database))
        let size = try handle.seekToEnd()
        try handle.seek(toOffset: fromFirstByte ? 0 : 4096)
        var generator = SystemRandomNumberGenerator()
        let garbage = (0..<Int(size) - (fromFirstByte ? 0 : 4096)).map { _ in UInt8.random(in: 0...255, using: &generator) }
        try handle.write(contentsOf: Data(garbage))
        try handle.close()

        let result = try setup.check()
        #expect(result.status == 1)
        let line = try #require(Self.line(result.stdout, "database"), "\(result.stdout)")
        #expect(line.verdict == "FAIL", "\(line.text)")
        #expect(line.next?.contains("move \(database)") == true)
    }

    @Test("without --online, a valid config is one PASS line and exit 0")
    func offline() throws {
        let setup = try Setup(id: "check-offline", source: "mqtt://127.0.0.1:1")
        let result = try setup.check([])
        #expect(result.status == 0)
        #expect(result.stdout == "PASS  config  \(setup.path) valid: gateway check-offline, 1 source, 0 hubs, 0 rules\n")
    }
}
