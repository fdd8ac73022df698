import Foundation

/// A real `mosquitto` broker on 127.0.0.1 and an ephemeral port, with persistence in a temp dir, for
/// tests and benchmarks. It can be stopped, killed and restarted on the same port and data.
public final class MosquittoBroker: @unchecked Sendable {
    // Invariant: `process` is only replaced under `lock`.
    public let port: Int
    public let directory: TemporaryDirectory
    private let lock = NSLock()
    private var process: ChildProcess?
    private let extraConfig: String
    private let allowAnonymous: Bool

    public var url: String { "mqtt://127.0.0.1:\(port)" }
    public var logFile: String { directory.file("mosquitto.log") }

    /// Starts a broker; `extraConfig` lines are appended to its configuration. With
    /// `allowAnonymous: false` and no password file, every client is refused.
    public init(extraConfig: String = "", allowAnonymous: Bool = true, port: Int? = nil) throws {
        self.allowAnonymous = allowAnonymous
        self.port = try port ?? Ports.ephemeral()
        directory = try TemporaryDirectory("streetgate-broker")
        self.extraConfig = extraConfig
        try writeConfig()
        try start()
    }

    private func writeConfig() throws {
        var lines = [
            "listener \(port) 127.0.0.1",
            "allow_anonymous \(allowAnonymous)",
            "persistence true",
            "persistence_location \(directory.path)/",
            // Large enough for the backlogs the tests and benchmarks queue for offline sessions.
            "max_queued_messages 1000000",
            "max_queued_bytes 0",
            "log_dest file \(logFile)",
            "log_type error",
            "log_type warning",
            "log_type notice",
            "log_type information",
        ]
        if getuid() == 0 { lines.append("user root") }
        lines.append(extraConfig)
        try lines.joined(separator: "\n").appending("\n")
            .write(toFile: directory.file("mosquitto.conf"), atomically: true, encoding: .utf8)
    }

    /// Starts (or restarts) the broker process and waits until it accepts connections.
    public func start() throws {
        let process = try ChildProcess(executable: Self.executable, arguments: ["-c", directory.file("mosquitto.conf")])
        lock.withLock { self.process = process }
        let deadline = Date().addingTimeInterval(10)
        while !Ports.isListening(port) {
            guard process.isRunning, Date() < deadline else {
                let log = (try? String(contentsOfFile: logFile, encoding: .utf8)) ?? ""
                throw BrokerError(message: "mosquitto did not start on port \(port): \(log.suffix(600))")
            }
            usleep(20_000)
        }
    }

    /// SIGTERM: the broker saves its persistent sessions and queued messages, then exits.
    public func stop() {
        signal(SIGTERM)
    }

    /// SIGKILL: no chance to save anything since the last autosave.
    public func kill() {
        signal(SIGKILL)
    }

    public func restart() throws {
        stop()
        try start()
    }

    private func signal(_ number: Int32) {
        guard let process = lock.withLock({ self.process }) else { return }
        process.signal(number)
        process.wait()
        lock.withLock { self.process = nil }
    }

    public var isRunning: Bool {
        lock.withLock { process?.isRunning ?? false }
    }

    deinit {
        kill()
    }

    public static var executable: String {
        ["/usr/sbin/mosquitto", "/usr/bin/mosquitto", "/usr/local/sbin/mosquitto"]
            .first { FileManager.default.isExecutableFile(atPath: $0) } ?? "mosquitto"
    }
}

public struct BrokerError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }

    public init(message: String) {
        self.message = message
    }
}
