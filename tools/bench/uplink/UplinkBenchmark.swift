import BenchSupport
import ArgumentParser
import Foundation
import GatewayCore
import GatewayStore
import Logging
import TestSupport

/// Uplink benchmark: how fast the gateway drains a backlog of aggregates to a hub, against
/// `mosquitto_pub` pushing the same aggregates into the same broker, in the same round.
///
/// Each round: a buffer is filled with `sensors × windows` closed 1-minute aggregates (each the
/// summary of `readings-per-window` readings) and the hub registered, as if the hub had been away
/// while they were made; a fresh hub broker and an empty source broker are started, and one QoS 1
/// subscriber with a persistent session counts what arrives on `streetgate/bench/aggregates`. Then,
/// one after the other, each timed from the first message the subscriber receives to the last
/// aggregate:
/// 1. `streetgate run` (release) connects and sends the backlog, as batches of `max_batch`;
/// 2. `mosquitto_pub -q 1 -l` sends the same aggregates, one JSON object a message (in runs of
///    50,000 lines, see `PublisherInputs`);
/// 3. `mosquitto_pub -q 1 -l` sends the same aggregates in the gateway's batch payloads.
/// Prints each round and the medians: rates, ratios, messages per second, and bytes per aggregate
/// on the wire and in payloads, computed from what the subscriber received.
@main
struct UplinkBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-uplink",
        abstract: "Gateway vs mosquitto_pub sending the same backlog of aggregates to a hub."
    )

    @Option(help: "Sensors with aggregates in the backlog.")
    var sensors = 1_000

    @Option(help: "1-minute windows per sensor in the backlog.")
    var windows = 100

    @Option(help: "Readings each aggregate summarises (its count).")
    var readingsPerWindow = 10

    @Option(help: "hub.max_batch for the gateway, and the batch size of the mosquitto_pub batch run.")
    var maxBatch = 500

    @Option(help: "hub.max_inflight for the gateway.")
    var maxInflight = 20

    @Option(help: "Rounds; medians are reported.")
    var rounds = 3

    @Option(help: "The streetgate executable to measure (a release build).")
    var streetgate: String = BuiltProducts.path("streetgate")

    static let gatewayID = "bench"
    static let hubName = "bench-hub"
    static let topic = "streetgate/\(gatewayID)/aggregates"

    func run() async throws {
        let now = Timestamp(milliseconds: Int64(Date().timeIntervalSince1970 * 1000))
        let backlog = Self.backlog(sensors: sensors, windows: windows, readingsPerWindow: readingsPerWindow, now: now)
        let inputs = try TemporaryDirectory("streetgate-bench-uplink-input")
        let files = try Self.writePublisherInputs(backlog, maxBatch: maxBatch, in: inputs)
        print("bench-uplink: \(backlog.count) aggregates (\(sensors) sensors × \(windows) windows of 1 minute, \(readingsPerWindow) readings each: \(backlog.count * readingsPerWindow) readings' worth), max_batch \(maxBatch), max_inflight \(maxInflight), \(rounds) rounds")
        print("binary: \(streetgate)")

        var results: [Round] = []
        for index in 1...rounds {
            let round = try await runRound(backlog, files)
            results.append(round)
            print(String(
                format: "round %d: gateway %.0f agg/s (%.1f msg/s, %.1f s from process start), mosquitto_pub one a message %.0f agg/s, batches %.0f agg/s; ratio %.2f / %.2f",
                index, round.gateway.aggregateRate, round.gateway.messageRate, round.gatewayFromStart,
                round.single.aggregateRate, round.batched.aggregateRate,
                round.gateway.aggregateRate / round.single.aggregateRate, round.gateway.aggregateRate / round.batched.aggregateRate
            ))
        }

        let total = Double(backlog.count)
        let gatewayRate = median(results.map(\.gateway.aggregateRate))
        let singleRatio = median(results.map { $0.gateway.aggregateRate / $0.single.aggregateRate })
        let batchedRatio = median(results.map { $0.gateway.aggregateRate / $0.batched.aggregateRate })
        let gateway = results[0].gateway, single = results[0].single, batched = results[0].batched
        print("")
        print("| figure | median of \(rounds) |")
        print("|---|---|")
        print(String(format: "| gateway drain to the hub | %.0f aggregates/s, %.1f messages/s |", gatewayRate, median(results.map(\.gateway.messageRate))))
        print(String(format: "| gateway, from process start to the last aggregate | %.2f s |", median(results.map(\.gatewayFromStart))))
        print(String(format: "| gateway CPU per aggregate (start-up included) | %.2f µs |", median(results.map(\.gatewayCPUMicrosPerAggregate))))
        print(String(format: "| gateway disk writes per aggregate sent (write_bytes, start-up included) | %.0f B |", median(results.map(\.gatewayWrittenPerAggregate))))
        print(String(format: "| mosquitto_pub, one aggregate a message | %.0f aggregates/s (= messages/s) |", median(results.map(\.single.aggregateRate))))
        print(String(format: "| mosquitto_pub, the gateway's %d-aggregate batch payloads | %.0f aggregates/s, %.1f messages/s |", maxBatch, median(results.map(\.batched.aggregateRate)), median(results.map(\.batched.messageRate))))
        print(String(format: "| ratio gateway / mosquitto_pub one a message | %.2f |", singleRatio))
        print(String(format: "| ratio gateway / mosquitto_pub batches | %.2f |", batchedRatio))
        print(String(format: "| gateway: wire bytes per aggregate (PUBLISH + PUBACK) | %.1f B (payload %.1f B; %d messages) |", Double(gateway.wireBytes) / total, Double(gateway.payloadBytes) / total, gateway.messages))
        print(String(format: "| mosquitto_pub one a message: wire bytes per aggregate | %.1f B (payload %.1f B) |", Double(single.wireBytes) / total, Double(single.payloadBytes) / total))
        print(String(format: "| mosquitto_pub batches: wire bytes per aggregate | %.1f B (payload %.1f B) |", Double(batched.wireBytes) / total, Double(batched.payloadBytes) / total))

        printResult("uplink", "gateway drain to the hub", String(format: "%.0f agg/s", gatewayRate), "", "")
        printResult("uplink", "mosquitto_pub one aggregate a message", String(format: "%.0f agg/s", median(results.map(\.single.aggregateRate))), "", "")
        printResult("uplink", "mosquitto_pub \(maxBatch)-aggregate batches", String(format: "%.0f agg/s", median(results.map(\.batched.aggregateRate))), "", "")
        printResult("uplink", "ratio gateway / mosquitto_pub (one a message)", String(format: "%.2f", singleRatio), ">= 0.5", singleRatio >= 0.5 ? "pass" : "FAIL")
        printResult("uplink", "ratio gateway / mosquitto_pub (batches)", String(format: "%.2f", batchedRatio), ">= 0.5", batchedRatio >= 0.5 ? "pass" : "FAIL")
        printResult("uplink", "wire bytes per aggregate", String(format: "%.1f B", Double(gateway.wireBytes) / total), "", "")
    }

    struct Round {
        var gateway: HubSubscriber.Tally
        var gatewayFromStart: Double
        var gatewayCPUMicrosPerAggregate: Double
        /// The daemon's `write_bytes` from its start to the last aggregate: the outbox's disk cost.
        var gatewayWrittenPerAggregate: Double
        var single: HubSubscriber.Tally
        var batched: HubSubscriber.Tally
    }

    /// Files of lines for `mosquitto_pub -l`, each sent by one run of it, one run after the other.
    ///
    /// At most `linesPerRun` lines a file: mosquitto_pub 2.0 stops once the message id of its last
    /// line is acknowledged, and message ids wrap at 65,535, so a longer file ends early (at the
    /// first acknowledgement of that id) and the rest is never sent.
    struct PublisherInputs {
        var oneAggregatePerLine: [String]
        var batchPerLine: [String]
    }

    static let linesPerRun = 50_000

    func runRound(_ backlog: [Aggregate], _ files: PublisherInputs) async throws -> Round {
        let source = try MosquittoBroker()
        let hub = try MosquittoBroker()
        let directory = try TemporaryDirectory("streetgate-bench-uplink")
        try FileManager.default.createDirectory(atPath: directory.file("data"), withIntermediateDirectories: true)
        try Self.fillBuffer(path: directory.file("data/streetgate.db"), backlog)
        let configPath = directory.file("streetgate.toml")
        try """
        [gateway]
        id = "\(Self.gatewayID)"
        data_dir = "\(directory.file("data"))"
        log_level = "notice"
        [[source]]
        name = "sensors"
        url = "\(source.url)"
        topics = ["city/+/+/+/+"]
        [[hub]]
        name = "\(Self.hubName)"
        url = "\(hub.url)"
        max_batch = \(maxBatch)
        max_inflight = \(maxInflight)
        """.write(toFile: configPath, atomically: true, encoding: .utf8)

        let subscriber = HubSubscriber(port: hub.port, topic: Self.topic, clientID: "bench-hub-subscriber")
        try await subscriber.start()
        defer { subscriber.stop() }

        let started = ContinuousClock.now
        let gateway = try ChildProcess(executable: streetgate, arguments: ["run", "--config", configPath], outputPath: directory.file("gateway.log"))
        try await subscriber.waitForAggregates(backlog.count, within: .seconds(600), "gateway") {
            gateway.terminationStatus.map { "streetgate exited \($0)" }
        }
        let gatewayTally = subscriber.current
        let gatewayFromStart = seconds(gatewayTally.last! - started)
        let cpu = Self.cpuSeconds(gateway.pid)
        let written = Self.writeBytes(gateway.pid)
        stop(gateway)

        subscriber.reset()
        let single = try await publish(files.oneAggregatePerLine, to: hub, subscriber, expecting: backlog.count)
        subscriber.reset()
        let batched = try await publish(files.batchPerLine, to: hub, subscriber, expecting: backlog.count)
        return Round(
            gateway: gatewayTally, gatewayFromStart: gatewayFromStart,
            gatewayCPUMicrosPerAggregate: cpu * 1_000_000 / Double(backlog.count),
            gatewayWrittenPerAggregate: Double(written) / Double(backlog.count),
            single: single, batched: batched
        )
    }

    /// `mosquitto_pub -l`: one message per line of each file in turn, QoS 1, into the hub broker.
    func publish(_ files: [String], to hub: MosquittoBroker, _ subscriber: HubSubscriber, expecting count: Int) async throws -> HubSubscriber.Tally {
        // Through sh for the redirection: ChildProcess gives its children /dev/null as stdin.
        let runs = files.map { "/usr/bin/mosquitto_pub -h 127.0.0.1 -p \(hub.port) -i bench-pub -q 1 -t '\(Self.topic)' -l < '\($0)' || exit 1" }
        let publisher = try ChildProcess(executable: "/bin/sh", arguments: ["-c", runs.joined(separator: "\n")])
        defer {
            publisher.signal(SIGKILL)
            publisher.wait()
        }
        var exited: (at: ContinuousClock.Instant, aggregates: Int)?
        try await subscriber.waitForAggregates(count, within: .seconds(600), "mosquitto_pub") {
            guard let status = publisher.terminationStatus else { return nil }
            if status != 0 { return "mosquitto_pub exited \(status)" }
            // Done sending: what it sent arrives within moments, or was never sent.
            let received = subscriber.current.aggregates
            if let seen = exited, seen.aggregates == received {
                return ContinuousClock.now - seen.at > .seconds(10) ? "mosquitto_pub ended, and \(received) of \(count) aggregates arrived" : nil
            }
            exited = (ContinuousClock.now, received)
            return nil
        }
        return subscriber.current
    }

    // MARK: - The backlog

    /// `sensors × windows` closed 1-minute aggregates, oldest window first, ending two minutes
    /// before `now`; each summarises `readingsPerWindow` water-flow readings around 1.5.
    static func backlog(sensors: Int, windows: Int, readingsPerWindow: Int, now: Timestamp) -> [Aggregate] {
        let minute: Int64 = 60_000
        let firstStart = (now.milliseconds / minute - 2 - Int64(windows)) * minute
        var aggregates: [Aggregate] = []
        aggregates.reserveCapacity(sensors * windows)
        for window in 0..<windows {
            let start = firstStart + Int64(window) * minute
            for sensor in 0..<sensors {
                let name = "\(sensor % 2 == 0 ? "fes" : "rabat")/water/meter-\(String(sensor + 10_000).dropFirst())"
                var values: [Double] = []
                for reading in 0..<readingsPerWindow {
                    values.append(Double(130 + (sensor * 31 + window * 17 + reading * 7) % 41) / 100)
                }
                aggregates.append(Aggregate(
                    sensor: name, metric: "flow", start: Timestamp(milliseconds: start), windowSeconds: 60,
                    count: values.count, min: values.min()!, max: values.max()!, sum: values.reduce(0, +),
                    last: values.last!, lastTime: Timestamp(milliseconds: start + 59_000), rev: 0
                ))
            }
        }
        return aggregates
    }

    /// Stores the aggregates as the windows would have, and registers the hub: at its first
    /// connect the gateway finds them all above the hub's cursor, as a backlog.
    static func fillBuffer(path: String, _ aggregates: [Aggregate]) throws {
        let writer = try BufferWriter(settings: StoreSettings(path: path), logger: Logger(label: "bench") { _ in SwiftLogNoOpLogHandler() })
        for first in stride(from: 0, to: aggregates.count, by: 10_000) {
            try writer.commit(derived: DerivedRecords(aggregates: Array(aggregates[first..<min(first + 10_000, aggregates.count)])))
        }
        try writer.registerHubs([hubName])
        try writer.close()
    }

    /// The files `mosquitto_pub -l` reads: every aggregate as the JSON object it is inside a batch,
    /// one a line; and the batches the gateway sends (same seq, same bytes), one a line.
    static func writePublisherInputs(_ aggregates: [Aggregate], maxBatch: Int, in directory: TemporaryDirectory) throws -> PublisherInputs {
        let arrayStart = "\"aggregates\":["
        let objects = try aggregates.map { aggregate in
            let batch = UplinkPayloads.aggregateBatch([aggregate], gateway: gatewayID, seq: 1, historical: true)
            guard let open = batch.range(of: arrayStart) else { throw BrokerError(message: "unexpected batch shape: \(batch)") }
            return String(batch[open.upperBound...].dropLast(2))  // "]}"
        }
        let batches = stride(from: 0, to: aggregates.count, by: maxBatch).enumerated().map { index, first in
            let chunk = Array(aggregates[first..<min(first + maxBatch, aggregates.count)])
            return UplinkPayloads.aggregateBatch(chunk, gateway: gatewayID, seq: index + 1, historical: true)
        }
        return PublisherInputs(
            oneAggregatePerLine: try writeLines(objects, named: "aggregates", in: directory),
            batchPerLine: try writeLines(batches, named: "batches", in: directory)
        )
    }

    /// Writes `lines` into files of at most `linesPerRun` lines each; returns their paths in order.
    static func writeLines(_ lines: [String], named name: String, in directory: TemporaryDirectory) throws -> [String] {
        try stride(from: 0, to: lines.count, by: linesPerRun).enumerated().map { index, first in
            let path = directory.file("\(name)-\(index).jsonl")
            let text = lines[first..<min(first + linesPerRun, lines.count)].joined(separator: "\n") + "\n"
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            return path
        }
    }

    /// Bytes a running process made the kernel write to storage, from /proc/PID/io.
    static func writeBytes(_ pid: Int32) -> Int {
        let io = (try? String(contentsOfFile: "/proc/\(pid)/io", encoding: .utf8)) ?? ""
        return io.split(separator: "\n").first { $0.hasPrefix("write_bytes:") }
            .flatMap { $0.split(separator: " ").last }.flatMap { Int($0) } ?? 0
    }

    /// CPU seconds (user + system) of a running process, from /proc/PID/stat.
    static func cpuSeconds(_ pid: Int32) -> Double {
        let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
        let fields = stat.split(separator: ")").last?.split(separator: " ") ?? []
        guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else { return 0 }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }
}
