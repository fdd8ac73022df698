import Foundation
import TestSupport

/// How a command ended and what it printed.
struct CommandOutput {
    var status: Int32
    var stdout: String
    var stderr: String

    /// Both streams, for messages of failed expectations.
    var all: String { stdout + stderr }
}

struct MissingCommand: Error, CustomStringConvertible {
    var name: String
    var description: String { "\(name) is not on PATH (bash tools/setup.sh installs it)" }
}

/// Runs `executable` (a path, or a name looked up on PATH) to its end and captures its output.
///
/// Waits by polling rather than `waitUntilExit()`, so that a slow command does not hold one of the
/// concurrency pool's threads while other tests run.
func runCommand(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) async throws -> CommandOutput {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: try whichExecutable(executable))
    process.arguments = arguments
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    // Files, not pipes: a command that writes more than a pipe holds cannot block the test.
    let directory = try TemporaryDirectory("streetgate-command")
    let out = directory.file("stdout"), err = directory.file("stderr")
    _ = FileManager.default.createFile(atPath: out, contents: nil)
    _ = FileManager.default.createFile(atPath: err, contents: nil)
    process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: out))
    process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: err))
    try process.run()
    while process.isRunning {
        try await Task.sleep(for: .milliseconds(20))
    }
    return CommandOutput(
        status: process.terminationStatus,
        stdout: (try? String(contentsOfFile: out, encoding: .utf8)) ?? "",
        stderr: (try? String(contentsOfFile: err, encoding: .utf8)) ?? ""
    )
}

/// The full path of `name`: itself when it contains a slash, else the first match on PATH.
func whichExecutable(_ name: String) throws -> String {
    if name.contains("/") { return name }
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
    let candidates = path.split(separator: ":").map { "\($0)/\(name)" }
    guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
        throw MissingCommand(name: name)
    }
    return found
}

/// The package's root folder, found from this file's place in it.
let packageRoot: String = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent()  // SystemdIntegrationTests
    .deletingLastPathComponent()  // Tests
    .deletingLastPathComponent()
    .path
