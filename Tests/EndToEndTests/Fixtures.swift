import Foundation
import GatewayCore
import GatewayStore
import Logging
import MQTTClient
import TestSupport

/// A gateway under test: a data dir, a config pointing at `broker`, and the daemon process.
struct GatewayUnderTest {
    let directory: TemporaryDirectory
    let configPath: String
    let process: GatewayProcess

    var databasePath: String { directory.file("data/streetgate.db") }

    init(broker: MosquittoBroker, id: String, topics: String = "city/+/+/+/+", extraSource: String = "", extra: String = "") throws {
        directory = try TemporaryDirectory("streetgate-e2e")
        configPath = directory.file("streetgate.toml")
        try """
        [gateway]
        id = "\(id)"
        data_dir = "\(directory.file("data"))"
        log_level = "info"

        [[source]]
        name = "local"
        url = "mqtt://127.0.0.1:\(broker.port)"
        topics = ["\(topics)"]
        \(extraSource)

        \(extra)
        """.write(toFile: configPath, atomically: true, encoding: .utf8)
        process = GatewayProcess(configPath: configPath, logPath: directory.file("streetgate.log"))
    }

    /// Readings stored so far, read the way `status` reads them (read-only, while the daemon runs).
    func storedRows() -> Int64 {
        guard FileManager.default.fileExists(atPath: databasePath),
              let reader = try? BufferReader(path: databasePath),
              let status = try? reader.status(now: Timestamp(milliseconds: 0)) else { return 0 }
        return status.rows
    }

    func run(_ arguments: [String]) throws -> CommandResult {
        try runProduct("streetgate", arguments + ["--config", configPath])
    }
}

/// An in-process QoS 1 publisher standing in for the sensors.
final class SensorPublisher: Sendable {
    let connection: MQTTConnection

    init(broker: MosquittoBroker, id: String = "sensors") {
        connection = MQTTConnection(
            options: MQTTClientOptions(
                host: "127.0.0.1", port: broker.port, clientID: id, cleanSession: false,
                backoff: Backoff(minimum: .milliseconds(100), maximum: .milliseconds(500)), maxInflight: 200
            ),
            logger: Logger(label: "sensors") { _ in SwiftLogNoOpLogHandler() }
        )
    }

    func start() async throws {
        connection.start()
        try await firstElement(of: connection.events, "the publisher to connect") { $0 == .subscribed }
    }

    func publish(_ topic: String, _ payload: String) throws {
        try connection.publish(topic: topic, payload: Array(payload.utf8))
    }

    func publish(_ topic: String, bytes: [UInt8]) throws {
        try connection.publish(topic: topic, payload: bytes)
    }

    /// Waits until the broker acknowledged everything published so far.
    func drained(within timeout: Duration = .seconds(60)) async throws {
        try await eventually(within: timeout, "the broker to acknowledge every publish") {
            connection.unacknowledgedPublishes == 0
        }
    }

    deinit {
        connection.stop()
    }
}

/// The numbered readings in `streetgate export` CSV output.
func exportedNumbers(_ csv: String) -> [Int] {
    csv.split(separator: "\n").dropFirst().compactMap { line in
        line.split(separator: ",").last.flatMap { Double($0) }.map { Int($0) }
    }
}

let anHourAgo = Int64(Date().timeIntervalSince1970 * 1000) - 3_600_000
