import BenchSupport
import ArgumentParser
import Foundation
import GatewayStore
import Logging
import MQTTClient
import TestSupport

/// Disk benchmark: how many bytes the gateway makes the kernel write per reading it ingests, with
/// `sync = "normal"` and with `sync = "full"`, in the same round.
///
/// Each round, for each mode: a fresh broker and buffer; `streetgate run` (release) is started and,
/// once it is ready, `count` QoS 1 messages from `sensors` sensors are published to it, as fast as
/// the broker takes them (at most 2,000 unacknowledged) or paced at `rate` a second. With
/// `--backlog` they are queued for the gateway's persistent session while it is stopped, and it is
/// timed draining them from its start. The figure is the daemon's `write_bytes` from
/// `/proc/PID/io`, from ready (or its start) until it has exited after SIGTERM (its last commit,
/// the final WAL checkpoint and the log included), divided by the readings; also shown up to the
/// last commit, and `wchar` (every byte passed to write(2), sockets included).
///
/// `write_bytes` counts a page each time it goes from clean to dirty in the page cache: what
/// reaches the device, not how often SQLite rewrote a page before it was written back.
@main
struct DiskBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-disk",
        abstract: "Bytes written per reading ingested, with sync normal and full."
    )

    @Option(help: "Messages (readings) published per mode and round.")
    var count = 200_000

    @Option(help: "Distinct sensors the messages come from.")
    var sensors = 1_000

    @Option(help: "Messages per second, paced; 0: as fast as the broker takes them.")
    var rate = 0

    @Option(help: "The broker's max_inflight_messages: how many QoS 1 messages it sends the gateway before waiting for PUBACKs (mosquitto's default: 20).")
    var brokerMaxInflight = 20

    @Option(help: "The source's mqtt_version: \"5\" (readings held for commit_interval) or \"3.1.1\" (each socket read committed at once).")
    var mqttVersion = "5"

    @Option(help: "The source's commit_interval.")
    var commitInterval = "500ms"

    @Flag(help: "Queue the messages at the broker while the gateway is stopped, then time it draining them (from its start).")
    var backlog = false

    @Option(help: "Rounds; medians are reported.")
    var rounds = 3

    @Option(help: "The streetgate executable to measure (a release build).")
    var streetgate: String = BuiltProducts.path("streetgate")

    static let modes = ["normal", "full"]

    func run() async throws {
        let pace = backlog ? "queued, then drained" : rate > 0 ? "paced at \(rate) msg/s" : "as fast as the broker takes them"
        print("bench-disk: \(count) QoS 1 messages from \(sensors) sensors per mode, \(pace), broker max_inflight_messages \(brokerMaxInflight), mqtt_version \(mqttVersion), commit_interval \(commitInterval), sync normal and full, \(rounds) rounds")
        print("binary: \(streetgate)")
        var results: [String: [Mode]] = [:]
        for index in 1...rounds {
            var line = "round \(index):"
            for mode in Self.modes {
                let figures = try await measure(sync: mode)
                results[mode, default: []].append(figures)
                line += " \(mode) " + String(
                    format: "%.1f B/reading (%.1f to the last commit, wchar %.1f, stored %.1f; %.0f readings/s),",
                    figures.perReading(\.total), figures.perReading(\.toLastCommit), figures.perReading(\.wchar), figures.perReading(\.stored),
                    figures.readingsPerSecond)
            }
            print(String(line.dropLast()))
        }

        print("")
        print("| figure | sync normal | sync full |")
        print("|---|---|---|")
        func row(_ title: String, _ figure: KeyPath<Mode, Int>) {
            let values = Self.modes.map { mode in median(results[mode]!.map { $0.perReading(figure) }) }
            print("| \(title) | " + String(format: "%.1f B | %.1f B |", values[0], values[1]))
        }
        row("written per reading (write_bytes, ready to exit)", \.total)
        row("written per reading, up to the last commit", \.toLastCommit)
        row("write(2) bytes per reading (wchar)", \.wchar)
        row("database file per reading after stop", \.stored)
        let rates = Self.modes.map { mode in median(results[mode]!.map(\.readingsPerSecond)) }
        print(String(format: "| readings stored per second | %.0f | %.0f |", rates[0], rates[1]))
        let normal = median(results["normal"]!.map { $0.perReading(\.total) })
        let full = median(results["full"]!.map { $0.perReading(\.total) })
        var how = backlog ? "backlog" : rate > 0 ? "\(rate)/s" : "flat out"
        if brokerMaxInflight != 20 { how += ", broker inflight \(brokerMaxInflight)" }
        printResult("disk", "bytes written per reading, sync normal, \(how)", String(format: "%.1f B", normal), "<= 100 B", normal <= 100 ? "pass" : "FAIL")
        printResult("disk", "bytes written per reading, sync full, \(how)", String(format: "%.1f B", full), "", "")
    }

    struct Mode {
        var readings: Int
        var total: Int
        var toLastCommit: Int
        var wchar: Int
        var stored: Int
        /// From the first publish to the last reading stored.
        var readingsPerSecond: Double

        func perReading(_ figure: KeyPath<Mode, Int>) -> Double {
            Double(self[keyPath: figure]) / Double(readings)
        }
    }

    func measure(sync: String) async throws -> Mode {
        let broker = try MosquittoBroker(extraConfig: "max_inflight_messages \(brokerMaxInflight)")
        let directory = try TemporaryDirectory("streetgate-bench-disk")
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
        url = "\(broker.url)"
        topics = ["city/+/+/+/+"]
        mqtt_version = "\(mqttVersion)"
        commit_interval = "\(commitInterval)"
        """.write(toFile: configPath, atomically: true, encoding: .utf8)

        let logPath = directory.file("gateway.log")
        var gateway = try await startGateway(configPath: configPath, logPath: logPath)
        let atReady: ProcessIO
        let started: ContinuousClock.Instant
        if backlog {
            // The first run registers the session and makes the buffer; the second drains.
            gateway.signal(SIGTERM)
            gateway.wait()
            try await publish(to: broker)
            started = ContinuousClock.now
            gateway = try ChildProcess(executable: streetgate, arguments: ["run", "--config", configPath], outputPath: logPath)
            atReady = ProcessIO()
        } else {
            atReady = ProcessIO(pid: gateway.pid)
            started = ContinuousClock.now
            try await publish(to: broker)
        }
        let databasePath = directory.file("data/streetgate.db")
        try await eventually(within: .seconds(300), "\(count) readings stored") {
            if let status = gateway.terminationStatus { throw BrokerError(message: "streetgate exited \(status)") }
            return Self.storedReadings(databasePath) >= Int64(count)
        }
        let atLastCommit = ProcessIO(pid: gateway.pid)
        let elapsed = ContinuousClock.now - started

        // Read the figures once it has exited, before it is reaped: the final checkpoint counts.
        gateway.signal(SIGTERM)
        try await eventually(within: .seconds(60), "the gateway to exit") { Self.isZombie(gateway.pid) }
        let atExit = ProcessIO(pid: gateway.pid)
        gateway.wait()

        let size = (try? FileManager.default.attributesOfItem(atPath: databasePath)[.size] as? Int) ?? 0
        return Mode(
            readings: count,
            total: atExit.writeBytes - atReady.writeBytes,
            toLastCommit: atLastCommit.writeBytes - atReady.writeBytes,
            wchar: atExit.wchar - atReady.wchar,
            stored: size,
            readingsPerSecond: Double(count) / (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
        )
    }

    func startGateway(configPath: String, logPath: String) async throws -> ChildProcess {
        let gateway = try ChildProcess(executable: streetgate, arguments: ["run", "--config", configPath], outputPath: logPath)
        try await eventually(within: .seconds(60), "the gateway to become ready") {
            if let status = gateway.terminationStatus { throw BrokerError(message: "streetgate exited \(status)") }
            let log = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
            return log.contains("ready: every source subscribed")
        }
        return gateway
    }

    /// `count` QoS 1 messages, at most 2,000 unacknowledged at a time, stamped as they are made;
    /// paced at `rate` a second when it is set (in steps of 10 ms).
    func publish(to broker: MosquittoBroker) async throws {
        let publisher = MQTTConnection(
            options: MQTTClientOptions(host: "127.0.0.1", port: broker.port, clientID: "bench-pub", cleanSession: true, maxInflight: 1000),
            logger: Logger(label: "bench") { _ in SwiftLogNoOpLogHandler() }
        )
        publisher.start()
        defer { publisher.stop() }
        try await firstElement(of: publisher.events, "publisher connected") { $0 == .subscribed }
        let base = Int64(Date().timeIntervalSince1970 * 1000)
        let start = ContinuousClock.now
        for index in 0..<count {
            if rate > 0, index % max(1, rate / 100) == 0 {
                // Wait for this message's moment; `eventually` bounds the wait.
                let due = start + .seconds(Double(index) / Double(rate))
                if due > ContinuousClock.now { try await Task.sleep(until: due) }
            }
            let sensor = index % sensors
            let payload = "{\"value\":\(Double(index % 1000) / 10),\"ts\":\(base + Int64(index))}"
            try publisher.publish(topic: "city/fes/water/meter-\(sensor)/flow", payload: Array(payload.utf8))
            if index % 1_000 == 999 {
                try await eventually(within: .seconds(120), "publishes acknowledged") { publisher.unacknowledgedPublishes < 2_000 }
            }
        }
        try await eventually(within: .seconds(120), "all publishes acknowledged") { publisher.unacknowledgedPublishes == 0 }
    }

    /// Readings stored so far, those deleted since included.
    static func storedReadings(_ path: String) -> Int64 {
        guard FileManager.default.fileExists(atPath: path), let reader = try? BufferReader(path: path) else { return 0 }
        return (try? reader.acceptedReadings()) ?? 0
    }

    /// True once the process has exited and waits to be reaped (its /proc entry is still there).
    static func isZombie(_ pid: Int32) -> Bool {
        let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
        return stat.split(separator: ")").last?.split(separator: " ").first == "Z"
    }
}

/// A process's I/O counters from /proc/PID/io.
struct ProcessIO {
    var writeBytes = 0
    var wchar = 0

    init() {}

    init(pid: Int32) {
        let text = (try? String(contentsOfFile: "/proc/\(pid)/io", encoding: .utf8)) ?? ""
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: ":")
            guard parts.count == 2, let value = Int(parts[1].trimmingCharacters(in: .whitespaces)) else { continue }
            switch parts[0] {
            case "write_bytes": writeBytes = value
            case "wchar": wchar = value
            default: break
            }
        }
    }
}
