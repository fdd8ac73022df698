// Contract checked here (contract.md, Command line, `status`): what a technician needs on one
// screen — daemon, clock, each sensor's last value, age and trend, active alerts, buffer, hubs, dead
// letters — read-only while the daemon runs and after it stopped; no colour when the output is not
// a terminal; `--json` keeps the documented shape (docs/status-json.md).
import Foundation
import GatewayCore
import GatewayStore
import Logging
import TestSupport
import Testing

@Suite("status on the built binary", .serialized)
struct StatusScreenTests {
    static let glyphs = Set("▁▂▃▄▅▆▇█")

    static func config(hubPort: Int, downPort: Int) -> String {
        """
        [aggregate]
        window = "2s"
        grace = "1s"

        [[hub]]
        name = "city"
        url = "mqtt://127.0.0.1:\(hubPort)"

        [[hub]]
        name = "euromed"
        url = "mqtt://127.0.0.1:\(downPort)"

        [[rule]]
        name = "high-flow"
        sensors = "+/water/+"
        metric = "flow"
        when = "above"
        threshold = 5.0
        severity = "major"
        """
    }

    func json(_ result: CommandResult) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], "\(result.stdout)")
    }

    @Test("running, then stopped: the sections, trend glyphs, no colour in a pipe, and the JSON shape")
    func runningThenStopped() async throws {
        let broker = try MosquittoBroker()
        let downPort = try Ports.ephemeral()
        let gateway = try GatewayUnderTest(broker: broker, id: "status-screen", extra: Self.config(hubPort: broker.port, downPort: downPort))
        try await gateway.process.start()
        let sensors = SensorPublisher(broker: broker)
        try await sensors.start()
        let start = Int64(Date().timeIntervalSince1970 * 1000)
        for step in 0..<30 {
            let time = start + Int64(step) * 200
            try sensors.publish("city/fes/water/meter-1/flow", "{\"value\":\(step >= 27 ? 9 : step % 5),\"ts\":\(time)}")
            try sensors.publish("city/fes/air/aq-0001/pm25", "{\"value\":\(10 + step),\"ts\":\(time)}")
            try sensors.publish("city/fes/light/lamp-0001/power", "{\"value\":40,\"ts\":\(time)}")
            try await Task.sleep(for: .milliseconds(100))
        }
        try sensors.publish("city/fes/light/lamp-0001/power", "not a number")
        try await sensors.drained()
        // Acknowledged by the broker is not yet committed: the gateway holds a commit_interval.
        try await eventually(within: .seconds(20), "the dead letter stored") {
            try BufferReader(path: gateway.databasePath).healthFigures().deadLettersByReason == ["not_json": 1]
        }
        try await eventually(within: .seconds(20), "windows closed into aggregates") {
            try !BufferReader(path: gateway.databasePath).aggregates(since: 0, limit: 1).isEmpty
        }
        let pid = try #require(gateway.process.processIdentifier)

        let text = try gateway.run(["status"])
        #expect(text.status == 0, "\(text.stderr)")
        let screen = text.stdout
        #expect(!screen.contains("\u{1B}["), "no ANSI escapes when stdout is not a terminal")
        #expect(screen.hasPrefix("StreetGate \(StreetGateVersion.current) · gateway status-screen · "))
        #expect(screen.contains("Daemon     running, pid \(pid), up "), "\(screen)")
        #expect(screen.contains("Clock      "))
        let headings = ["Sensors (3", "Active alerts (1)", "Buffer     ", "Hubs (2)", "Dead letters (1): not_json 1"]
        var position = screen.startIndex
        for heading in headings {
            let found = try #require(screen.range(of: heading, range: position..<screen.endIndex), "\(heading) in order in\n\(screen)")
            position = found.upperBound
        }
        let rows = screen.split(separator: "\n")
        let meter = try #require(rows.first { $0.hasPrefix("  fes/water/meter-1 ") })
        #expect(meter.contains { Self.glyphs.contains($0) }, "a sparkline in \(meter)")
        #expect(meter.hasSuffix("high-flow"))
        #expect(rows.contains { $0.hasPrefix("  city ") && $0.contains("connected") })
        #expect(rows.contains { $0.hasPrefix("  euromed ") && $0.contains("DISCONNECTED") })
        #expect(rows.allSatisfy { $0.count <= 100 }, "\(screen)")

        let running = try json(gateway.run(["status", "--json"]))
        #expect(running["schema"] as? String == "streetgate/status-report/2")
        let daemon = try #require(running["daemon"] as? [String: Any])
        #expect(daemon["running"] as? Bool == true)
        #expect(daemon["state"] as? String == "running")
        #expect(daemon["pid"] as? Int == Int(pid))
        #expect(daemon["started"] is String)
        #expect((daemon["uptime_s"] as? Double ?? -1) >= 0)
        let clock = try #require(running["clock"] as? [String: Any])
        #expect(clock.keys.sorted() == ["max_error_us", "synchronised"])
        let trend = try #require(running["trend"] as? [String: Any])
        #expect(trend["bucket_s"] as? Int == 300)
        #expect(trend["buckets"] as? Int == 12)
        #expect(trend["source"] as? String == "aggregates")
        let sensorList = try #require(running["sensors"] as? [[String: Any]])
        #expect(sensorList.map { $0["sensor"] as? String } == ["fes/air/aq-0001", "fes/light/lamp-0001", "fes/water/meter-1"])
        for sensor in sensorList {
            let values = try #require(sensor["trend"] as? [Any])
            #expect(values.count == 12)
            #expect(values.contains { $0 is NSNumber }, "a mean in the current bucket")
            #expect(Set(sensor.keys) == [
                "sensor", "metric", "last_value", "last_time", "age_s", "count", "stale", "trend", "active_alert",
            ])
        }
        let meterAlert = try #require(sensorList.last?["active_alert"] as? [String: Any])
        #expect(meterAlert["rule"] as? String == "high-flow")
        #expect(meterAlert["severity"] as? String == "major")
        #expect(sensorList.first?["active_alert"] is NSNull)
        let hubs = try #require(running["hubs"] as? [[String: Any]])
        #expect(hubs.map { $0["name"] as? String } == ["city", "euromed"])
        #expect(Set(hubs[0].keys) == [
            "name", "connected", "changed_at", "last_ack", "next_seq", "unacknowledged", "pending_aggregates",
            "pending_alerts", "backlog_batches", "oldest_pending", "dropped_aggregates", "dropped_alerts",
        ])
        #expect(hubs[0]["connected"] as? Bool == true)
        #expect(hubs[1]["connected"] as? Bool == false)
        #expect((running["active_alerts"] as? [[String: Any]])?.first?["rule"] as? String == "high-flow")
        #expect((running["dead_letters"] as? [String: Any])?["by_reason"] as? [String: Int] == ["not_json": 1])

        #expect(gateway.process.signal(SIGTERM) == 0)
        let stoppedText = try gateway.run(["status"])
        #expect(stoppedText.status == 0)
        #expect(stoppedText.stdout.contains("Daemon     stopped"), "\(stoppedText.stdout)")
        let stoppedRows = stoppedText.stdout.split(separator: "\n")
        #expect(stoppedRows.contains { $0.hasPrefix("  city ") && $0.contains("daemon stopped") })
        #expect(!stoppedText.stdout.contains("DISCONNECTED"), "the last recorded state is not trusted once the daemon stopped")
        let stopped = try json(gateway.run(["status", "--json"]))
        #expect((stopped["daemon"] as? [String: Any])?["running"] as? Bool == false)
        #expect((stopped["daemon"] as? [String: Any])?["pid"] is NSNull)
        #expect((stopped["sensors"] as? [Any])?.count == 3)
    }

    @Test("before the daemon ever ran, status says there is no database yet and exits 0")
    func noDatabaseYet() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("streetgate.toml")
        try """
        [gateway]
        id = "fresh"
        data_dir = "\(directory.file("data"))"
        [[source]]
        name = "local"
        url = "mqtt://127.0.0.1:1883"
        topics = ["city/#"]
        """.write(toFile: path, atomically: true, encoding: .utf8)
        let text = try runProduct("streetgate", ["status", "--config", path])
        #expect(text.status == 0)
        #expect(text.stdout.contains("Daemon     stopped"))
        #expect(text.stdout.contains("none yet at \(directory.file("data/streetgate.db"))"))
        let json = try runProduct("streetgate", ["status", "--json", "--config", path])
        #expect(json.status == 0)
        let document = try #require(JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect((document["buffer"] as? [String: Any])?["exists"] as? Bool == false)
        #expect((document["sensors"] as? [Any])?.isEmpty == true)
    }

    @Test("more than 40 sensors: the 40 most recently active, long ids cut, and a line for the rest")
    func manySensors() throws {
        let directory = try TemporaryDirectory()
        let dataDir = directory.file("data")
        try FileManager.default.createDirectory(atPath: dataDir, withIntermediateDirectories: true)
        let path = directory.file("streetgate.toml")
        try """
        [gateway]
        id = "many"
        data_dir = "\(dataDir)"
        [[source]]
        name = "local"
        url = "mqtt://127.0.0.1:1883"
        topics = ["city/#"]
        """.write(toFile: path, atomically: true, encoding: .utf8)
        let writer = try bufferWriter(path: "\(dataDir)/streetgate.db")
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        let long = "fes/water/" + String(repeating: "x", count: 60)
        // Sensor n reported n and a half minutes ago: 0...39 are the 40 most recent, 15... are stale.
        try writer.commit(readings: (0..<45).map { n in
            Reading(sensor: n == 0 ? long : String(format: "fes/air/aq-%04d", n), metric: "pm25",
                    time: Timestamp(milliseconds: now - Int64(n) * 60_000 - 30_000), value: Double(n))
        })
        try writer.close()

        let result = try runProduct("streetgate", ["status", "--config", path])
        #expect(result.status == 0, "\(result.stderr)")
        let rows = result.stdout.split(separator: "\n")
        let sensorRows = rows.filter { $0.hasPrefix("  fes/") }
        #expect(sensorRows.count == 40)
        #expect(sensorRows.contains { $0.hasPrefix("  fes/air/aq-0039 ") })
        #expect(!sensorRows.contains { $0.hasPrefix("  fes/air/aq-0040 ") })
        #expect(sensorRows.contains { $0.hasPrefix("  fes/water/xxxx") && $0.contains("…") })
        #expect(result.stdout.contains("  … and 5 more (streetgate status --json lists all)"))
        #expect(result.stdout.contains("Sensors (45, 30 stale"), "\(result.stdout)")
        #expect(rows.allSatisfy { $0.count <= 100 })

        let json = try runProduct("streetgate", ["status", "--json", "--config", path])
        let document = try #require(JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect((document["sensors"] as? [Any])?.count == 45)
        #expect((document["trend"] as? [String: Any])?["source"] as? String == "readings")
    }
}

/// A buffer written directly, as the daemon would have left it.
func bufferWriter(path: String) throws -> BufferWriter {
    let settings = StoreSettings(
        path: path, sync: .normal, maxSize: 64 << 20, retention: .seconds(86_400), deadLetterLimit: 10,
        statsFlushInterval: .seconds(10)
    )
    return try BufferWriter(settings: settings, logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() })
}
