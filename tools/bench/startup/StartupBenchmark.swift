import BenchSupport
import ArgumentParser
import Foundation
import GatewayCore
import GatewayStore
import Logging
import TestSupport

/// Start-up benchmark: how long `streetgate run` takes, from process start to `READY=1`, on a
/// buffer that already holds `readings` readings, and how much memory it holds by then.
///
/// The buffer is filled once, through `BufferWriter.commit` in groups of 1,000 readings, with the
/// benchmark city's traffic (`City`): every sensor reports one of its five metrics every 10 s, the
/// last readings a minute old. Each round copies it (WAL checkpointed; the file is in the page
/// cache) and starts the release binary twice against one empty source broker, with
/// `NOTIFY_SOCKET` on an abstract datagram socket:
/// 1. **first start**: the buffer has no rule snapshot, so every reading is fed to the rules again
///    (as after a SIGKILL before the first snapshot, or with an unreadable one);
/// 2. **restart** after the first run's clean stop (SIGTERM), which saved the rule snapshot and
///    the windows' watermark: the usual start.
/// Each start is timed to the `READY=1` datagram and to the "ready" log line (both polled every
/// millisecond), and VmRSS and VmHWM are read from /proc when READY=1 arrives.
@main
struct StartupBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-startup",
        abstract: "Time from process start to READY=1 on a buffer of a million readings."
    )

    @Option(help: "Readings in the buffer.")
    var readings = 1_000_000

    @Option(help: "Sensors the readings come from (five metrics each, in turn).")
    var sensors = 1_000

    @Option(help: "A TOML file of [[rule]] tables to add to the configuration (tools/bench/city-rules.toml).")
    var rules: String?

    @Option(help: "gateway.log_level for the measured starts (info shows each phase with its time).")
    var logLevel = "notice"

    @Option(help: "Copy the last round's folder (configuration, buffer, logs) here, to look into.")
    var keep: String?

    @Option(help: "Rounds; medians are reported.")
    var rounds = 3

    @Option(help: "The streetgate executable to measure (a release build).")
    var streetgate: String = BuiltProducts.path("streetgate")

    static let readyLine = "ready: every source subscribed"

    func run() async throws {
        let ruleText = try rules.map { try String(contentsOfFile: $0, encoding: .utf8) } ?? ""
        let ruleCount = ruleText.components(separatedBy: "[[rule]]").count - 1
        let setup = "\(readings) readings from \(sensors) sensors, \(ruleCount) rules"
        print("bench-startup: \(setup), \(rounds) rounds")
        print("binary: \(streetgate)")

        let pristine = try TemporaryDirectory("streetgate-bench-startup-buffer")
        let filling = ContinuousClock.now
        try fillBuffer(path: pristine.file("streetgate.db"))
        let size = (try FileManager.default.attributesOfItem(atPath: pristine.file("streetgate.db"))[.size] as? Int) ?? 0
        print(String(format: "buffer: %.1f MiB, filled in %.1f s", Double(size) / 1_048_576, seconds(ContinuousClock.now - filling)))

        let source = try MosquittoBroker()
        var first: [Start] = []
        var restart: [Start] = []
        for index in 1...rounds {
            let directory = try TemporaryDirectory("streetgate-bench-startup")
            try FileManager.default.createDirectory(atPath: directory.file("data"), withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: pristine.file("streetgate.db"), toPath: directory.file("data/streetgate.db"))
            let configPath = directory.file("streetgate.toml")
            try """
            [gateway]
            id = "bench"
            data_dir = "\(directory.file("data"))"
            log_level = "\(logLevel)"
            [[source]]
            name = "sensors"
            url = "\(source.url)"
            topics = ["city/+/+/+/+"]

            \(ruleText)
            """.write(toFile: configPath, atomically: true, encoding: .utf8)

            first.append(try await start(configPath: configPath, logPath: directory.file("first.log")))
            restart.append(try await start(configPath: configPath, logPath: directory.file("restart.log")))
            if let keep, index == rounds {
                try? FileManager.default.removeItem(atPath: keep)
                try FileManager.default.copyItem(atPath: directory.path, toPath: keep)
            }
            print(String(
                format: "round %d: first start %.0f ms to READY=1 (log line %.0f ms, VmRSS %.1f MiB); restart %.0f ms (log line %.0f ms, VmRSS %.1f MiB)",
                index, first[index - 1].toReady, first[index - 1].toLogLine, first[index - 1].rssMiB,
                restart[index - 1].toReady, restart[index - 1].toLogLine, restart[index - 1].rssMiB
            ))
        }

        print("")
        print("| \(setup), median of \(rounds) | first start (no rule snapshot) | restart after a clean stop |")
        print("|---|---|---|")
        print("| process start to READY=1 | " + String(format: "%.0f ms | %.0f ms |", median(first.map(\.toReady)), median(restart.map(\.toReady))))
        print("| process start to the \"ready\" log line | " + String(format: "%.0f ms | %.0f ms |", median(first.map(\.toLogLine)), median(restart.map(\.toLogLine))))
        print("| VmRSS at READY=1 | " + String(format: "%.1f MiB | %.1f MiB |", median(first.map(\.rssMiB)), median(restart.map(\.rssMiB))))
        print("| VmHWM at READY=1 | " + String(format: "%.1f MiB | %.1f MiB |", median(first.map(\.peakMiB)), median(restart.map(\.peakMiB))))

        let scenario = "\(sensors / 1000)k sensors, \(ruleCount) rules"
        let restartReady = median(restart.map(\.toReady))
        let firstReady = median(first.map(\.toReady))
        printResult("startup", "to READY=1, restart (\(scenario))", String(format: "%.0f ms", restartReady), "<= 300 ms", restartReady <= 300 ? "pass" : "FAIL")
        printResult("startup", "to READY=1, first start (\(scenario))", String(format: "%.0f ms", firstReady), "<= 300 ms", firstReady <= 300 ? "pass" : "FAIL")
        printResult("startup", "VmRSS at READY=1, restart (\(scenario))", String(format: "%.1f MiB", median(restart.map(\.rssMiB))), "", "")
    }

    struct Start {
        /// Milliseconds from just before the process was spawned.
        var toReady: Double
        var toLogLine: Double
        var rssMiB: Double
        var peakMiB: Double
    }

    /// Starts the gateway, times it to READY=1 and to the log line, then stops it with SIGTERM.
    func start(configPath: String, logPath: String) async throws -> Start {
        let listener = try DatagramListener(notifySocket: uniqueAbstractName())
        var environment = ProcessInfo.processInfo.environment
        environment["NOTIFY_SOCKET"] = listener.notifySocket
        for name in ["WATCHDOG_USEC", "WATCHDOG_PID", "JOURNAL_STREAM"] { environment[name] = nil }

        let started = ContinuousClock.now
        let process = try ChildProcess(executable: streetgate, arguments: ["run", "--config", configPath], environment: environment, outputPath: logPath)
        defer { stop(process) }
        var ready: (at: Double, rss: Double, peak: Double)?
        var logLine: Double?
        let deadline = started + .seconds(300)
        while ready == nil || logLine == nil {
            let now = ContinuousClock.now
            if ready == nil, let datagram = await listener.receive(within: 0), datagram.contains("READY=1") {
                let memory = Self.memory(process.pid)
                ready = (milliseconds(now - started), memory.rss, memory.peak)
            }
            if logLine == nil, let log = try? String(contentsOfFile: logPath, encoding: .utf8), log.contains(Self.readyLine) {
                logLine = milliseconds(now - started)
            }
            if let status = process.terminationStatus { throw BrokerError(message: "streetgate exited \(status)") }
            guard now < deadline else { throw BrokerError(message: "streetgate not ready after 300 s") }
            try await Task.sleep(for: .milliseconds(1))
        }
        return Start(toReady: ready!.at, toLogLine: logLine!, rssMiB: ready!.rss, peakMiB: ready!.peak)
    }

    /// `readings` readings of the city's traffic, oldest first, committed 1,000 at a time.
    func fillBuffer(path: String) throws {
        let writer = try BufferWriter(settings: StoreSettings(path: path), logger: Logger(label: "bench") { _ in SwiftLogNoOpLogHandler() })
        let names = (0..<sensors).map(City.sensor)
        let interval: Int64 = 10_000
        let steps = (readings + sensors - 1) / sensors
        let last = (Int64(Date().timeIntervalSince1970 * 1000) / interval - 6) * interval
        var random = SplitMix64(state: 2026)
        var group: [Reading] = []
        group.reserveCapacity(1_000)
        var made = 0
        for step in 0..<steps {
            let stepTime = last - Int64(steps - 1 - step) * interval
            for sensor in 0..<sensors where made < readings {
                let metric = City.metric(sensor, step)
                let time = stepTime + Int64(sensor) * interval / Int64(sensors)
                let value = City.value(metric, series: sensor * City.metricsPerSensor + step % City.metricsPerSensor, at: Double(time) / 1000, using: &random)
                group.append(Reading(sensor: names[sensor], metric: metric.name, time: Timestamp(milliseconds: time), value: value))
                made += 1
                if group.count == 1_000 {
                    try writer.commit(readings: group)
                    group.removeAll(keepingCapacity: true)
                }
            }
        }
        if !group.isEmpty { try writer.commit(readings: group) }
        try writer.close()
    }

    static func memory(_ pid: Int32) -> (rss: Double, peak: Double) {
        let status = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
        func kibibytes(_ key: String) -> Double {
            status.split(separator: "\n").first { $0.hasPrefix(key) }
                .flatMap { $0.split(separator: " ").dropFirst().first }.flatMap { Double($0) } ?? 0
        }
        return (kibibytes("VmRSS:") / 1024, kibibytes("VmHWM:") / 1024)
    }
}
