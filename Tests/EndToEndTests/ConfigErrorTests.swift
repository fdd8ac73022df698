// Contract checked here (contract.md, Command line): a bad config names the file, the key and what
// was expected; `check` exits 1 on a problem and 78 when the file is unreadable; `run` refuses a bad
// config with 78 (EX_CONFIG), which systemd does not restart.
import Foundation
import TestSupport
import Testing

@Suite("Configuration errors on the command line")
struct ConfigErrorTests {
    @Test("check names the file, the key and what was expected, and exits 1")
    func checkReportsProblems() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("bad.toml")
        try """
        [gateway]
        id = "fes-01"
        [[source]]
        name = "local"
        url = "mqtt://127.0.0.1:1883"
        topics = ["city/#"]
        format = "xml"
        [buffer]
        retention = "forever"
        """.write(toFile: path, atomically: true, encoding: .utf8)
        let result = try runProduct("streetgate", ["check", "--config", path])
        #expect(result.status == 1)
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines.contains { $0.hasPrefix("FAIL  config  \(path): source[0].format") && $0.contains("json, senml, text") })
        #expect(lines.contains { $0.hasPrefix("FAIL  config  \(path): buffer.retention") })
    }

    @Test("run refuses a bad config with exit status 78")
    func runRefusesBadConfig() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("bad.toml")
        try "[gateway]\nid = \"has spaces\"\n".write(toFile: path, atomically: true, encoding: .utf8)
        let result = try runProduct("streetgate", ["run", "--config", path])
        #expect(result.status == 78)
        #expect(result.stderr.contains("gateway.id"))
    }

    @Test("an unreadable config file exits 78 for check and run, naming the file")
    func unreadableFile() throws {
        let missing = "/nonexistent/streetgate.toml"
        for command in ["check", "run"] {
            let result = try runProduct("streetgate", [command, "--config", missing])
            #expect(result.status == 78)
            #expect(result.stderr.contains(missing))
        }
    }

    @Test("the config path falls back to STREETGATE_CONFIG")
    func environmentPath() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("env.toml")
        try "[gateway]\nid = \"fes-01\"\n[[source]]\nname = \"a\"\nurl = \"mqtt://127.0.0.1\"\ntopics = [\"#\"]\n"
            .write(toFile: path, atomically: true, encoding: .utf8)
        let result = try runProduct("streetgate", ["check"], environment: ["STREETGATE_CONFIG": path])
        #expect(result.status == 0, "\(result.stdout) \(result.stderr)")
        #expect(result.stdout.hasPrefix("PASS  config  \(path) valid"))
    }

    @Test("the shipped example configuration passes check")
    func shippedConfigPasses() throws {
        let shipped = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../conf/streetgate.toml").standardized.path
        let result = try runProduct("streetgate", ["check", "--config", shipped])
        #expect(result.status == 0, "\(result.stdout) \(result.stderr)")
    }
}
