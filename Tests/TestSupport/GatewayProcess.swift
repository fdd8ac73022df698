import Foundation

/// The built `streetgate` executable, found beside the test bundle (both live in the build's
/// products directory).
public enum BuiltProducts {
    public static var directory: String {
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? CommandLine.arguments[0]
        var url = URL(fileURLWithPath: executable).deletingLastPathComponent()
        // Linux test bundles are executables inside `<Package>PackageTests.xctest/` or beside it.
        while url.path != "/" && !FileManager.default.isExecutableFile(atPath: url.appendingPathComponent("streetgate").path) {
            url.deleteLastPathComponent()
        }
        return url.path
    }

    public static func path(_ name: String) -> String {
        "\(directory)/\(name)"
    }
}

/// The result of a command that ran to its end.
public struct CommandResult: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String

    /// Both streams, for messages of failed expectations.
    public var all: String { stdout + stderr }
}

/// Runs a built product to completion, capturing its output.
public func runProduct(_ name: String, _ arguments: [String], environment: [String: String] = [:]) throws -> CommandResult {
    let launched = try LaunchedCommand(path: BuiltProducts.path(name), arguments: arguments, environment: environment)
    launched.process.waitUntilExit()
    return launched.result
}

/// Runs `executable` (a path, or a name looked up on PATH) to its end and captures its output.
///
/// Waits by polling rather than `waitUntilExit()`, so that a slow command does not hold one of the
/// concurrency pool's threads while other tests run.
public func runCommand(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) async throws -> CommandResult {
    let launched = try LaunchedCommand(path: try whichExecutable(executable), arguments: arguments, environment: environment)
    while launched.process.isRunning {
        try await Task.sleep(for: .milliseconds(20))
    }
    return launched.result
}

/// The full path of `name`: itself when it contains a slash, else the first match on PATH.
public func whichExecutable(_ name: String) throws -> String {
    if name.contains("/") { return name }
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
    let candidates = path.split(separator: ":").map { "\($0)/\(name)" }
    guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
        throw MissingCommand(name: name)
    }
    return found
}

public struct MissingCommand: Error, CustomStringConvertible {
    public var name: String
    public var description: String { "\(name) is not on PATH (bash tools/setup.sh installs it)" }
}

/// A started process whose output goes to files, not pipes: a command that writes more than a
/// pipe holds cannot block the test.
private struct LaunchedCommand {
    let process = Process()
    let directory: TemporaryDirectory
    let out: String
    let err: String

    init(path: String, arguments: [String], environment: [String: String]) throws {
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        directory = try TemporaryDirectory("streetgate-run")
        out = directory.file("stdout")
        err = directory.file("stderr")
        _ = FileManager.default.createFile(atPath: out, contents: nil)
        _ = FileManager.default.createFile(atPath: err, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: out))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: err))
        try process.run()
    }

    var result: CommandResult {
        CommandResult(
            status: process.terminationStatus,
            stdout: (try? String(contentsOfFile: out, encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOfFile: err, encoding: .utf8)) ?? ""
        )
    }
}

/// `streetgate run` as a real child process that tests start, SIGKILL and restart.
public final class GatewayProcess: @unchecked Sendable {
    // Invariant: `process` is replaced only under `lock`.
    public let configPath: String
    public let logPath: String
    private let lock = NSLock()
    private var process: ChildProcess?
    private var starts = 0

    public init(configPath: String, logPath: String) {
        self.configPath = configPath
        self.logPath = logPath
    }

    /// Starts the daemon and waits until it says every source subscribed.
    public func start(environment: [String: String] = [:]) async throws {
        let readyBefore = readyLines
        let process = try ChildProcess(
            executable: BuiltProducts.path("streetgate"), arguments: ["run", "--config", configPath],
            environment: ProcessInfo.processInfo.environment.merging(environment) { $1 }, outputPath: logPath
        )
        lock.withLock {
            self.process = process
            starts += 1
        }
        try await eventually(within: .seconds(30), "the gateway to become ready") {
            if let status = process.terminationStatus {
                throw BrokerError(message: "streetgate exited with \(status): \(logTail)")
            }
            return readyLines > readyBefore
        }
    }

    private var readyLines: Int {
        let log = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
        return log.components(separatedBy: "ready: every source subscribed").count - 1
    }

    /// Everything the daemon wrote, over all its starts.
    public var log: String {
        (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
    }

    public var logTail: String {
        String(log.suffix(2000))
    }

    public var isRunning: Bool {
        lock.withLock { process?.isRunning ?? false }
    }

    public var processIdentifier: Int32? {
        lock.withLock { process?.pid }
    }

    /// Sends `signal` and returns at once (SIGHUP: the daemon goes on).
    public func send(_ number: Int32) {
        guard let pid = processIdentifier else { return }
        kill(pid, number)
    }

    /// Sends `signal` and waits for the process to exit; returns its exit status.
    @discardableResult
    public func signal(_ number: Int32) -> Int32 {
        guard let process = lock.withLock({ self.process }) else { return -1 }
        process.signal(number)
        let status = process.wait()
        lock.withLock { self.process = nil }
        return status
    }
}
