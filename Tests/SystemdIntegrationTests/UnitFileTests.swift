import Foundation
import TestSupport
import Testing

/// The contract: systemd's own tools accept systemd/streetgate.service, its exposure score stays
/// at most 2.0, and its hardening block stays alphabetised.
@Suite("The systemd unit")
struct UnitFileTests {
    private let unitPath = "\(packageRoot)/systemd/streetgate.service"

    private func unitText() throws -> String {
        try String(contentsOfFile: unitPath, encoding: .utf8)
    }

    @Test("systemd-analyze verify accepts the unit without a complaint")
    func verify() async throws {
        // verify checks that ExecStart= names an executable, and /usr/bin/streetgate is not installed
        // where the tests run: a copy of the unit starts the built binary instead.
        let text = try unitText()
        let copy = text.replacingOccurrences(
            of: "ExecStart=/usr/bin/streetgate ", with: "ExecStart=\(BuiltProducts.path("streetgate")) "
        )
        #expect(copy != text, "the unit no longer starts /usr/bin/streetgate")
        let directory = try TemporaryDirectory()
        let path = directory.file("streetgate.service")
        try copy.write(toFile: path, atomically: true, encoding: .utf8)

        let result = try await runCommand("systemd-analyze", ["verify", "--man=no", path])
        #expect(result.status == 0, "\(result.all)")
        let complaints = result.all.split(separator: "\n").filter { $0.contains("streetgate") }
        #expect(complaints.isEmpty, "\(complaints)")
    }

    @Test("systemd-analyze security rates the unit's exposure at most 2.0")
    func exposure() async throws {
        let result = try await runCommand("systemd-analyze", ["security", "--offline=true", unitPath])
        #expect(result.status == 0, "\(result.all)")
        let match = try #require(
            result.stdout.firstMatch(of: /Overall exposure level for streetgate\.service: (\d+\.\d+)/),
            "\(result.all)"
        )
        let exposure = try #require(Double(match.1))
        #expect(exposure <= 2.0, "\(result.stdout)")
    }

    @Test("the hardening block is alphabetised")
    func hardeningSorted() throws {
        let lines = try unitText().split(separator: "\n", omittingEmptySubsequences: false)
        let start = try #require(lines.firstIndex { $0.hasPrefix("# Hardening") })
        let block = lines[start...].drop { $0.hasPrefix("#") }.prefix { !$0.isEmpty }
        let keys = block.map { String($0.prefix { $0 != "=" }) }
        #expect(keys.count > 20)
        #expect(keys == keys.sorted())
    }

    @Test("the unit is what the daemon is written for")
    func daemonContract() throws {
        let settings = Set(try unitText().split(separator: "\n").filter { !$0.hasPrefix("#") }.map(String.init))
        for expected in [
            "Type=notify", "NotifyAccess=main", "ExecStart=/usr/bin/streetgate run",
            "ExecReload=/bin/kill -HUP $MAINPID", "Restart=on-failure", "RestartPreventExitStatus=78",
            "WatchdogSec=30s", "StateDirectory=streetgate", "ConfigurationDirectory=streetgate",
            "Environment=STREETGATE_CONFIG=/etc/streetgate/streetgate.toml", "DynamicUser=yes",
            "RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX",
        ] {
            #expect(settings.contains(expected), "missing \(expected)")
        }
    }
}
