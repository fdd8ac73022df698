import Foundation

/// A real `mosquitto` broker on 127.0.0.1 and an ephemeral port, with persistence in a temp dir, for
/// tests and benchmarks. It can be stopped, killed and restarted on the same port and data.
public final class MosquittoBroker: @unchecked Sendable {
    // Invariant: `process` is only replaced under `lock`.
    public let port: Int
    public let directory: TemporaryDirectory
    private let lock = NSLock()
    private var process: ChildProcess?

    public var url: String { "mqtt://127.0.0.1:\(port)" }
    public var logFile: String { directory.file("mosquitto.log") }

    /// Starts a broker; `extraConfig` lines are appended to its configuration. With
    /// `allowAnonymous: false` and no password file, every client is refused.
    public init(extraConfig: String = "", allowAnonymous: Bool = true, port: Int? = nil) throws {
        let directory = try TemporaryDirectory("streetgate-broker")
        self.directory = directory
        // A picked port was free when the kernel chose it, but another process may bind it before
        // mosquitto does: then a fresh one, a few times. A port the caller chose is tried once.
        var attemptsLeft = port == nil ? 5 : 1
        var candidate = try port ?? Ports.ephemeral()
        while true {
            try Self.writeConfig(port: candidate, allowAnonymous: allowAnonymous, extraConfig: extraConfig, directory: directory)
            do {
                process = try Self.launch(port: candidate, directory: directory)
                break
            } catch let error as BrokerError where error.addressInUse && attemptsLeft > 1 {
                attemptsLeft -= 1
                candidate = try Ports.ephemeral()
            }
        }
        self.port = candidate
    }

    private static func writeConfig(port: Int, allowAnonymous: Bool, extraConfig: String, directory: TemporaryDirectory) throws {
        let logFile = directory.file("mosquitto.log")
        // A log left by a failed attempt would be read as this attempt's.
        try? FileManager.default.removeItem(atPath: logFile)
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

    /// Restarts the broker process on the same port and data, and waits until it accepts connections.
    public func start() throws {
        let process = try Self.launch(port: port, directory: directory)
        lock.withLock { self.process = process }
    }

    /// Starts mosquitto and waits until it accepts connections on `port`.
    private static func launch(port: Int, directory: TemporaryDirectory) throws -> ChildProcess {
        let process = try ChildProcess(executable: executable, arguments: ["-c", directory.file("mosquitto.conf")])
        let deadline = Date().addingTimeInterval(10)
        while !Ports.isListening(port) {
            guard process.isRunning, Date() < deadline else {
                process.signal(SIGKILL)
                process.wait()
                let log = (try? String(contentsOfFile: directory.file("mosquitto.log"), encoding: .utf8)) ?? ""
                throw BrokerError(message: "mosquitto did not start on port \(port): \(log.suffix(600))")
            }
            usleep(20_000)
        }
        return process
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
    /// mosquitto could not bind its port: something else took it.
    var addressInUse: Bool { message.contains("Address already in use") }

    public init(message: String) {
        self.message = message
    }
}
