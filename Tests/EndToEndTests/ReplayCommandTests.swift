// Contract checked here (contract.md, `streetgate replay`): recorded readings, with the recorded
// times as the clock, give the alert events and aggregates the gateway would have sent, as JSON
// lines in the uplink's shapes; `export` output replays as is.
import Foundation
import TestSupport
import Testing

@Suite("streetgate replay on a generated day")
struct ReplayCommandTests {
    func config(in directory: TemporaryDirectory) throws -> String {
        let path = directory.file("replay.toml")
        try """
        [gateway]
        id = "fes-replay"
        data_dir = "\(directory.file("data"))"
        timezone = "Africa/Casablanca"
        [[source]]
        name = "local"
        url = "mqtt://127.0.0.1:1883"
        topics = ["city/+/+/+/+"]
        [aggregate]
        window = "15m"
        grace = "1m"
        [[rule]]
        name = "bin-fire"
        sensors = "+/waste/+"
        metric = "temperature"
        when = "above"
        threshold = 60.0
        clear = 50.0
        severity = "critical"
        """.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test("a planted bin fire raises one alert, and every window of the day is aggregated")
    func generatedDay() throws {
        let directory = try TemporaryDirectory()
        let simulated = try runProduct("streetgate-sim", [
            "--csv", "--city", "fes", "--meters", "2", "--bins", "2", "--lamps", "1", "--air", "0",
            "--interval", "60s", "--start", "2026-11-26T00:00:00Z", "--duration", "24h",
            "--incident", "bin-fire:bin-0001@2026-11-26T13:00:00Z+2h",
        ])
        #expect(simulated.status == 0, "\(simulated.stderr)")
        let csv = directory.file("day.csv")
        try simulated.stdout.write(toFile: csv, atomically: true, encoding: .utf8)

        let replay = try runProduct("streetgate", ["replay", "--config", try config(in: directory), csv])
        #expect(replay.status == 0, "\(replay.stderr)")
        let lines = replay.stdout.split(separator: "\n").map(String.init)
        let objects = try lines.map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] ?? [:] }

        let alerts = objects.filter { $0["schema"] as? String == "streetgate/alert/1" }
        #expect(alerts.map { $0["state"] as? String } == ["raised", "cleared"])
        #expect(alerts.allSatisfy { $0["sensor"] as? String == "fes/waste/bin-0001" && $0["rule"] as? String == "bin-fire" })
        #expect(Set(alerts.compactMap { $0["id"] as? String }).count == 1)

        let batches = objects.filter { $0["schema"] as? String == "streetgate/aggregates/1" }
        #expect(batches.compactMap { $0["seq"] as? Int } == Array(1...batches.count))
        let aggregates = batches.flatMap { $0["aggregates"] as? [[String: Any]] ?? [] }
        // 2 meters × (flow, pressure) + 2 bins × (fill, temperature) + 1 lamp × power = 9 series, 96 windows a day.
        #expect(aggregates.count == 9 * 96)
        #expect(aggregates.allSatisfy { $0["count"] as? Int == 15 && $0["window_s"] as? Int == 900 })
    }

    @Test("what export prints replays as is")
    func exportReplays() async throws {
        let broker = try MosquittoBroker()
        let gateway = try GatewayUnderTest(broker: broker, id: "export-replay")
        try await gateway.process.start()
        let sensors = SensorPublisher(broker: broker)
        try await sensors.start()
        for index in 0..<120 {
            try sensors.publish("city/fes/water/meter-\(index % 3)/flow", "{\"value\":\(index),\"ts\":\(anHourAgo + Int64(index) * 1000)}")
        }
        try await sensors.drained()
        try await eventually("stored") { gateway.storedRows() >= 120 }
        let export = try gateway.run(["export", "--since", "2h"])
        let csv = gateway.directory.file("export.csv")
        try export.stdout.write(toFile: csv, atomically: true, encoding: .utf8)

        let replay = try gateway.run(["replay", csv])
        #expect(replay.status == 0, "\(replay.stderr)")
        let counted = try replay.stdout.split(separator: "\n").flatMap { line -> [[String: Any]] in
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            return object?["aggregates"] as? [[String: Any]] ?? []
        }.reduce(0) { $0 + ($1["count"] as? Int ?? 0) }
        #expect(counted == 120)
        #expect(gateway.process.signal(SIGTERM) == 0)
    }
}
