import BenchSupport
import ArgumentParser
import Foundation
import GatewayCore
import GatewayStore
import Logging
import MQTTClient
import Synchronization
import TestSupport

/// Soak benchmark: the gateway under a steady live load for minutes, watched from outside.
///
/// A source broker and a hub broker are started; `streetgate run` (release) gets the rules of
/// `--rules`, 1-minute windows and the hub; a subscriber on the hub counts the aggregates and
/// alerts that arrive. A publisher sends `rate` QoS 1 readings a second, paced every 10 ms, from
/// the benchmark city's `sensors` sensors (each sends its five metrics in turn, stamped when sent),
/// for `minutes`. Every `sample` seconds the daemon's VmRSS, CPU time and `write_bytes` are read
/// from /proc and printed as a curve. It passes when VmRSS grew by at most 1 MiB from the end of
/// the warm-up to the end of the run.
@main
struct SoakBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-soak",
        abstract: "Steady live load with rules, windows and a hub; the daemon's memory and CPU over time."
    )

    @Option(help: "How long to run, in minutes.")
    var minutes = 10.0

    @Option(help: "Readings a second, all sensors together.")
    var rate = 5_000

    @Option(help: "Sensors of the benchmark city sending them.")
    var sensors = 1_000

    @Option(help: "Seconds of warm-up before memory growth is counted.")
    var warmup = 120.0

    @Option(help: "Seconds between two samples.")
    var sample = 10.0

    @Option(help: "A TOML file of [[rule]] tables to add to the configuration (tools/bench/city-rules.toml).")
    var rules: String?

    @Option(help: "The streetgate executable to measure (a release build).")
    var streetgate: String = BuiltProducts.path("streetgate")

    func validate() throws {
        guard minutes > 0, rate > 0, sensors > 0, sample > 0, warmup >= 0 else {
            throw ValidationError("--minutes, --rate, --sensors and --sample must be above 0, --warmup at least 0")
        }
        guard warmup < minutes * 60 else { throw ValidationError("--warmup must end before the run does") }
    }

    func run() async throws {
        let ruleText = try rules.map { try String(contentsOfFile: $0, encoding: .utf8) } ?? ""
        let ruleCount = ruleText.components(separatedBy: "[[rule]]").count - 1
        print("bench-soak: \(rate) readings/s from \(sensors) sensors for \(minutes) min, \(ruleCount) rules, 1-minute windows, one hub; warm-up \(Int(warmup)) s, a sample every \(Int(sample)) s")
        print("binary: \(streetgate)")

        let source = try MosquittoBroker()
        let hub = try MosquittoBroker()
        let directory = try TemporaryDirectory("streetgate-bench-soak")
        let configPath = directory.file("streetgate.toml")
        try """
        [gateway]
        id = "bench"
        data_dir = "\(directory.file("data"))"
        log_level = "notice"
        [aggregate]
        window = "1m"
        [[source]]
        name = "sensors"
        url = "\(source.url)"
        topics = ["city/+/+/+/+"]
        [[hub]]
        name = "bench-hub"
        url = "\(hub.url)"

        \(ruleText)
        """.write(toFile: configPath, atomically: true, encoding: .utf8)

        let hubCounts = HubCounts(port: hub.port)
        try await hubCounts.start()
        defer { hubCounts.stop() }

        let logPath = directory.file("gateway.log")
        let gateway = try ChildProcess(executable: streetgate, arguments: ["run", "--config", configPath], outputPath: logPath)
        defer { stop(gateway) }
        try await eventually(within: .seconds(60), "the gateway to become ready") {
            if let status = gateway.terminationStatus { throw BrokerError(message: "streetgate exited \(status)") }
            return ((try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "").contains("ready: every source subscribed")
        }

        let publisher = MQTTConnection(
            options: MQTTClientOptions(host: "127.0.0.1", port: source.port, clientID: "bench-soak-pub", cleanSession: true, maxInflight: 1000),
            logger: Logger(label: "bench") { _ in SwiftLogNoOpLogHandler() }
        )
        publisher.start()
        defer { publisher.stop() }
        try await firstElement(of: publisher.events, "the publisher to connect") { $0 == .subscribed }

        let databasePath = directory.file("data/streetgate.db")
        let topics = (0..<sensors).map { sensor in (0..<City.metricsPerSensor).map { "city/\(City.sensor(sensor))/\(City.metric(sensor, $0).name)" } }
        var random = SplitMix64(state: 2026)
        var samples: [Sample] = []
        let started = ContinuousClock.now
        let end = started + .seconds(minutes * 60)
        var nextSample = started
        var published = 0
        print("")
        print("| t (s) | VmRSS (MiB) | CPU (% of a core) | readings stored | write_bytes per reading | aggregates at the hub |")
        print("|---|---|---|---|---|---|")
        while true {
            let now = ContinuousClock.now
            if now >= nextSample {
                let taken = Sample(at: seconds(now - started), pid: gateway.pid, databasePath: databasePath, aggregates: hubCounts.aggregates)
                if let previous = samples.last {
                    print(String(
                        format: "| %.0f | %.2f | %.1f | %d | %.0f | %d |", taken.at, taken.rssMiB, taken.cpuPercent(since: previous),
                        taken.stored, taken.writtenPerReading(since: previous), taken.aggregates))
                } else {
                    print(String(format: "| %.0f | %.2f | | %d | | %d |", taken.at, taken.rssMiB, taken.stored, taken.aggregates))
                }
                samples.append(taken)
                fflush(nil)  // the curve as it comes, also through a pipe
                nextSample = started + .seconds(sample * Double(samples.count))
            }
            if now >= end { break }
            if let status = gateway.terminationStatus { throw BrokerError(message: "streetgate exited \(status)") }
            // Send what is due by now, then sleep to the next 10 ms step.
            let due = min(Int(seconds(now - started) * Double(rate)), Int((minutes * 60) * Double(rate)))
            let stamp = Int64(Date().timeIntervalSince1970 * 1000)
            while published < due {
                let sensor = published % sensors
                let metric = (published / sensors) % City.metricsPerSensor
                let value = City.value(City.metric(sensor, metric), series: sensor * City.metricsPerSensor + metric, at: Double(stamp) / 1000, using: &random)
                try publisher.publish(topic: topics[sensor][metric], payload: Array("{\"value\":\(value),\"ts\":\(stamp)}".utf8))
                published += 1
            }
            guard publisher.unacknowledgedPublishes < rate * 10 else {
                throw BrokerError(message: "more than 10 s of readings unacknowledged: the gateway fell behind at \(seconds(now - started)) s")
            }
            try await Task.sleep(until: now + .milliseconds(10))
        }

        try await eventually(within: .seconds(60), "every reading stored") { Self.storedReadings(databasePath) >= Int64(published) }
        report(samples, published: published, hubCounts: hubCounts, ruleCount: ruleCount)
    }

    func report(_ samples: [Sample], published: Int, hubCounts: HubCounts, ruleCount: Int) {
        guard let last = samples.last, let first = samples.first,
              let settled = samples.first(where: { $0.at >= warmup }) else { return }
        let after = samples.filter { $0.at >= settled.at }
        let growth = last.rssMiB - settled.rssMiB
        let highest = after.map(\.rssMiB).max() ?? settled.rssMiB
        let slope = Self.slopePerHour(after.map { ($0.at, $0.rssMiB) })
        let cpu = last.cpuPercent(since: settled)
        print("")
        print("| figure | value |")
        print("|---|---|")
        print(String(format: "| readings published and stored | %d in %.0f s (%.0f/s) |", published, last.at - first.at, Double(published) / (last.at - first.at)))
        print(String(format: "| VmRSS after the warm-up (%.0f s) | %.2f MiB |", settled.at, settled.rssMiB))
        print(String(format: "| VmRSS at the end (%.0f s) | %.2f MiB |", last.at, last.rssMiB))
        print(String(format: "| growth after the warm-up | %+.2f MiB (highest %.2f MiB; trend %+.2f MiB/h) |", growth, highest, slope))
        if let step = zip(after, after.dropFirst()).max(by: { $0.1.rssMiB - $0.0.rssMiB < $1.1.rssMiB - $1.0.rssMiB }) {
            print(String(format: "| largest rise between two samples after the warm-up | %+.2f MiB, from %.0f s to %.0f s |", step.1.rssMiB - step.0.rssMiB, step.0.at, step.1.at))
        }
        print(String(format: "| CPU after the warm-up | %.1f %% of one core |", cpu))
        print(String(format: "| written per reading after the warm-up (write_bytes) | %.0f B |", last.writtenPerReading(since: settled)))
        print("| aggregates / alert events received at the hub | \(hubCounts.aggregates) / \(hubCounts.alerts) |")
        let scenario = "\(rate)/s, \(ruleCount) rules, \(String(format: "%g", minutes)) min"
        printResult("soak", "VmRSS growth after warm-up (\(scenario))", String(format: "%+.2f MiB", growth), "<= 1 MiB", growth <= 1 ? "pass" : "FAIL")
        printResult("soak", "CPU after warm-up (\(scenario))", String(format: "%.1f %%", cpu), "", "")
        printResult("soak", "VmRSS at the end (\(scenario))", String(format: "%.1f MiB", last.rssMiB), "", "")
        printResult("soak", "bytes written per reading, live (\(scenario))", String(format: "%.0f B", last.writtenPerReading(since: settled)), "<= 100 B", last.writtenPerReading(since: settled) <= 100 ? "pass" : "FAIL")
    }

    /// The least-squares slope of `points` (seconds, MiB), in MiB per hour.
    static func slopePerHour(_ points: [(Double, Double)]) -> Double {
        guard points.count > 1 else { return 0 }
        let n = Double(points.count)
        let meanX = points.map(\.0).reduce(0, +) / n
        let meanY = points.map(\.1).reduce(0, +) / n
        let covariance = points.map { ($0.0 - meanX) * ($0.1 - meanY) }.reduce(0, +)
        let variance = points.map { ($0.0 - meanX) * ($0.0 - meanX) }.reduce(0, +)
        return variance > 0 ? covariance / variance * 3600 : 0
    }

    static func storedReadings(_ path: String) -> Int64 {
        guard FileManager.default.fileExists(atPath: path), let reader = try? BufferReader(path: path) else { return 0 }
        return (try? reader.acceptedReadings()) ?? 0
    }
}

/// What the daemon looked like at one moment, from /proc and its buffer.
struct Sample {
    var at: Double
    var rssMiB: Double
    var cpuSeconds: Double
    var writeBytes: Double
    var stored: Int
    var aggregates: Int

    init(at: Double, pid: Int32, databasePath: String, aggregates: Int) {
        self.at = at
        let status = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
        rssMiB = (status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") }
            .flatMap { $0.split(separator: " ").dropFirst().first }.flatMap { Double($0) } ?? 0) / 1024
        let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
        let fields = stat.split(separator: ")").last?.split(separator: " ") ?? []
        let ticks = fields.count > 13 ? (Double(fields[11]) ?? 0) + (Double(fields[12]) ?? 0) : 0
        cpuSeconds = ticks / Double(sysconf(Int32(_SC_CLK_TCK)))
        let io = (try? String(contentsOfFile: "/proc/\(pid)/io", encoding: .utf8)) ?? ""
        writeBytes = io.split(separator: "\n").first { $0.hasPrefix("write_bytes:") }
            .flatMap { $0.split(separator: " ").last }.flatMap { Double($0) } ?? 0
        stored = Int(SoakBenchmark.storedReadings(databasePath))
        self.aggregates = aggregates
    }

    func cpuPercent(since earlier: Sample) -> Double {
        at > earlier.at ? (cpuSeconds - earlier.cpuSeconds) / (at - earlier.at) * 100 : 0
    }

    func writtenPerReading(since earlier: Sample) -> Double {
        stored > earlier.stored ? (writeBytes - earlier.writeBytes) / Double(stored - earlier.stored) : 0
    }
}

/// A QoS 1 subscriber to everything the gateway sends the hub; counts aggregates and alert events.
final class HubCounts: Sendable {
    private final class Shared: Sendable {
        let counts = Mutex((aggregates: 0, alerts: 0))
    }

    private let shared = Shared()
    private let connection: MQTTConnection

    init(port: Int) {
        let shared = self.shared
        let sensorKey = Array("\"sensor\":".utf8)
        connection = MQTTConnection(
            options: MQTTClientOptions(host: "127.0.0.1", port: port, clientID: "bench-soak-hub", cleanSession: false, subscriptions: ["streetgate/bench/#"]),
            logger: Logger(label: "bench-hub") { _ in SwiftLogNoOpLogHandler() },
            onMessages: { messages in
                shared.counts.withLock { counts in
                    for message in messages {
                        if message.topic.hasSuffix("/aggregates") {
                            counts.aggregates += occurrences(of: sensorKey, in: message.payload)
                        } else if message.topic.hasSuffix("/alerts") {
                            counts.alerts += 1
                        }
                    }
                }
            }
        )
    }

    func start() async throws {
        connection.start()
        try await firstElement(of: connection.events, "the hub subscriber to subscribe") { $0 == .subscribed }
    }

    func stop() {
        connection.stop()
    }

    var aggregates: Int { shared.counts.withLock { $0.aggregates } }
    var alerts: Int { shared.counts.withLock { $0.alerts } }
}

func occurrences(of needle: [UInt8], in haystack: [UInt8]) -> Int {
    guard haystack.count >= needle.count else { return 0 }
    var found = 0
    var index = 0
    while index <= haystack.count - needle.count {
        if haystack[index..<(index + needle.count)].elementsEqual(needle) {
            found += 1
            index += needle.count
        } else {
            index += 1
        }
    }
    return found
}
