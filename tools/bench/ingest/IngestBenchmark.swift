import BenchSupport
import ArgumentParser
import Foundation
import GatewayStore
import Logging
import MQTTClient
import TestSupport

/// Ingest benchmark: how fast the gateway drains a backlog of QoS 1 messages into SQLite, against
/// how fast `mosquitto_sub` drains the same backlog to /dev/null, in the same run.
///
/// Each round: a fresh broker; both clients register persistent sessions and leave; `count` QoS 1
/// messages are published, so the broker queues them for both; then `mosquitto_sub` and the
/// release `streetgate run` drain their backlog one after the other, each timed from process
/// start to its last message (mosquitto_sub exits after `-C count`; the gateway's buffer is polled).
/// Prints each round and the medians: both rates, their ratio, gateway CPU µs per reading, and the
/// gateway's peak RSS (VmHWM).
@main
struct IngestBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-ingest",
        abstract: "Gateway vs mosquitto_sub draining the same QoS 1 backlog."
    )

    @Option(help: "Messages queued per round.")
    var count = 100_000

    @Option(help: "Distinct sensors the messages come from.")
    var sensors = 1_000

    @Option(help: "Rounds; medians are reported.")
    var rounds = 3

    @Option(help: "The streetgate executable to measure (a release build).")
    var streetgate: String = BuiltProducts.path("streetgate")

    @Option(help: "buffer.sync for the gateway: normal or full.")
    var sync = "normal"

    @Option(help: "A TOML file of [[rule]] tables to add to the gateway's configuration (tools/bench/city-rules.toml).")
    var rules: String?

    @Flag(help: "Messages from the benchmark city's sensors (BenchSupport's City), each sending its five metrics in turn at plausible levels, instead of water meters' flow.")
    var city = false

    func run() async throws {
        var results: [Round] = []
        let ruleText = try rules.map { try String(contentsOfFile: $0, encoding: .utf8) } ?? ""
        let ruleCount = ruleText.components(separatedBy: "[[rule]]").count - 1
        print("bench-ingest: \(count) QoS 1 messages from \(sensors) \(city ? "city " : "")sensors, \(ruleCount) rules, \(rounds) rounds, sync=\(sync)")
        print("binary: \(streetgate)")
        for index in 1...rounds {
            let round = try await runRound(rules: ruleText)
            results.append(round)
            print(String(format: "round %d: mosquitto_sub %.0f msg/s, gateway %.0f msg/s, ratio %.2f, gateway CPU %.2f µs/reading, peak RSS %.1f MiB",
                         index, round.subRate, round.gatewayRate, round.gatewayRate / round.subRate, round.cpuMicrosPerReading, round.peakRSSMiB))
        }
        func median(_ values: [Double]) -> Double {
            let sorted = values.sorted()
            return sorted[sorted.count / 2]
        }
        print("")
        print("| figure | median of \(rounds) |")
        print("|---|---|")
        print(String(format: "| mosquitto_sub drain | %.0f msg/s |", median(results.map(\.subRate))))
        print(String(format: "| gateway drain into SQLite | %.0f msg/s |", median(results.map(\.gatewayRate))))
        print(String(format: "| ratio gateway / mosquitto_sub | %.2f |", median(results.map { $0.gatewayRate / $0.subRate })))
        print(String(format: "| gateway CPU per reading | %.2f µs |", median(results.map(\.cpuMicrosPerReading))))
        print(String(format: "| gateway peak RSS | %.1f MiB |", median(results.map(\.peakRSSMiB))))
    }

    struct Round {
        var subRate: Double
        var gatewayRate: Double
        var cpuMicrosPerReading: Double
        var peakRSSMiB: Double
    }

    func runRound(rules: String) async throws -> Round {
        let broker = try MosquittoBroker(extraConfig: "max_inflight_messages 20")
        let directory = try TemporaryDirectory("streetgate-bench")
        let configPath = directory.file("streetgate.toml")
        try """
        [gateway]
        id = "bench"
        data_dir = "\(directory.file("data"))"
        log_level = "notice"
        [buffer]
        sync = "\(sync)"
        [[source]]
        name = "bench"
        url = "mqtt://127.0.0.1:\(broker.port)"
        topics = ["city/+/+/+/+"]

        \(rules)
        """.write(toFile: configPath, atomically: true, encoding: .utf8)

        // Register both persistent sessions, then leave.
        let gateway = GatewayProcess(configPath: configPath, logPath: directory.file("gateway.log"))
        try await gateway.start()
        gateway.signal(SIGTERM)
        _ = try exitStatus("/usr/bin/mosquitto_sub", ["-h", "127.0.0.1", "-p", "\(broker.port)", "-c", "-i", "bench-sub",
                                                   "-q", "1", "-t", "city/+/+/+/+", "-W", "1"])

        try await publishBacklog(broker: broker)

        let subStart = Date()
        let sub = try exitStatus("/usr/bin/mosquitto_sub", ["-h", "127.0.0.1", "-p", "\(broker.port)", "-c", "-i", "bench-sub",
                                                         "-q", "1", "-t", "city/+/+/+/+", "-C", "\(count)"])
        let subSeconds = Date().timeIntervalSince(subStart)
        guard sub == 0 else { throw BrokerError(message: "mosquitto_sub exited \(sub)") }

        let databasePath = directory.file("data/streetgate.db")
        let gatewayStart = Date()
        let process = try ChildProcess(executable: streetgate, arguments: ["run", "--config", configPath])
        var stored: Int64 = 0
        let cpu: Double
        let peak: Double
        while stored < Int64(count) {
            try await Task.sleep(for: .milliseconds(20))
            if let status = process.terminationStatus { throw BrokerError(message: "streetgate exited \(status)") }
            stored = Self.storedReadings(databasePath)
            if Date().timeIntervalSince(gatewayStart) > 300 { throw BrokerError(message: "gateway drain timed out at \(stored)") }
        }
        let gatewaySeconds = Date().timeIntervalSince(gatewayStart)
        (cpu, peak) = Self.usage(process.pid)
        process.signal(SIGTERM)
        process.wait()
        return Round(
            subRate: Double(count) / subSeconds,
            gatewayRate: Double(count) / gatewaySeconds,
            cpuMicrosPerReading: cpu * 1_000_000 / Double(count),
            peakRSSMiB: peak
        )
    }

    func publishBacklog(broker: MosquittoBroker) async throws {
        let publisher = MQTTConnection(
            options: MQTTClientOptions(host: "127.0.0.1", port: broker.port, clientID: "bench-pub", cleanSession: true, maxInflight: 1000),
            logger: Logger(label: "bench") { _ in SwiftLogNoOpLogHandler() }
        )
        publisher.start()
        defer { publisher.stop() }
        try await firstElement(of: publisher.events, "publisher connected") { $0 == .subscribed }
        // Stamped when published: a backlog of recent readings, so windows close as they would live
        // (readings older than the gateway's last window would each revise a closed window).
        let base = Int64(Date().timeIntervalSince1970 * 1000)
        // The city's readings carry the wall clock (a series' next reading at least 1 ms after its
        // last): at 1 ms a message, a city backlog would lie minutes ahead of the clock, and the
        // windows of 50,000 series would all stay open until the clock caught up.
        let cityTopics = city ? (0..<sensors).map { sensor in (0..<City.metricsPerSensor).map { "city/\(City.sensor(sensor))/\(City.metric(sensor, $0).name)" } } : []
        var lastStamps = [Int64](repeating: 0, count: city ? sensors * City.metricsPerSensor : 0)
        var random = SplitMix64(state: 2026)
        for index in 0..<count {
            let sensor = index % sensors
            if city {
                let metric = (index / sensors) % City.metricsPerSensor
                let series = sensor * City.metricsPerSensor + metric
                let time = max(Int64(Date().timeIntervalSince1970 * 1000), lastStamps[series] + 1)
                lastStamps[series] = time
                let value = City.value(City.metric(sensor, metric), series: series, at: Double(time) / 1000, using: &random)
                try publisher.publish(topic: cityTopics[sensor][metric], payload: Array("{\"value\":\(value),\"ts\":\(time)}".utf8))
            } else {
                let time = base + Int64(index)
                let payload = "{\"value\":\(Double(index % 1000) / 10),\"ts\":\(time)}"
                try publisher.publish(topic: "city/fes/water/meter-\(sensor)/flow", payload: Array(payload.utf8))
            }
            if index % 5_000 == 4_999 {
                try await eventually(within: .seconds(120), "publishes acknowledged") { publisher.unacknowledgedPublishes < 2_000 }
            }
        }
        try await eventually(within: .seconds(120), "all publishes acknowledged") { publisher.unacknowledgedPublishes == 0 }
    }

    /// Runs a tool to its end. ChildProcess rather than Process: `mosquitto_sub -W` relies on
    /// SIGALRM, which a child of a concurrency-pool thread would inherit blocked.
    func exitStatus(_ path: String, _ arguments: [String]) throws -> Int32 {
        try ChildProcess(executable: path, arguments: arguments).wait()
    }

    /// Readings stored so far, those deleted since included: cheap to poll (`count(*)`).
    static func storedReadings(_ path: String) -> Int64 {
        guard FileManager.default.fileExists(atPath: path),
              let reader = try? BufferReader(path: path) else { return 0 }
        return (try? reader.acceptedReadings()) ?? 0
    }

    /// CPU seconds (user + system) and peak RSS in MiB of a running process, from /proc.
    static func usage(_ pid: Int32) -> (cpuSeconds: Double, peakMiB: Double) {
        let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
        // Fields after the command name, which is in parentheses and may contain spaces.
        let fields = stat.split(separator: ")").last?.split(separator: " ") ?? []
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        let user = fields.count > 12 ? Double(fields[11]) ?? 0 : 0
        let system = fields.count > 13 ? Double(fields[12]) ?? 0 : 0
        let status = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
        let hwm = status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") }
            .flatMap { $0.split(separator: " ").dropFirst().first }.flatMap { Double($0) } ?? 0
        return ((user + system) / ticks, hwm / 1024)
    }
}
