import Foundation
import TestSupport

/// SplitMix64: a small seeded generator, so that a run's random moments can be repeated.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// The fault scenarios' knobs: `STREETGATE_FAULT_SEED` repeats a run's random moments; the others
/// make a run longer than the suite's default.
enum FaultParameters {
    /// `STREETGATE_FAULT_SEED`, else a fresh seed; printed either way, so a failure can be repeated.
    static func seed(for scenario: String) -> UInt64 {
        let seed = ProcessInfo.processInfo.environment["STREETGATE_FAULT_SEED"].flatMap { UInt64($0) }
            ?? UInt64.random(in: 0..<1_000_000)
        print("\(scenario): seed \(seed) (STREETGATE_FAULT_SEED=\(seed) repeats it)")
        return seed
    }

    static func integer(_ name: String, default value: Int) -> Int {
        ProcessInfo.processInfo.environment[name].flatMap { Int($0) } ?? value
    }
}

/// `streetgate run` on a `GatewayUnderTest`'s config, started without waiting, so a test can kill it
/// at any moment, before it is ready too. Used from one task.
struct KillableGateway {
    let configPath: String
    let logPath: String
    private(set) var process: ChildProcess?

    init(_ gateway: GatewayUnderTest) {
        configPath = gateway.configPath
        logPath = gateway.directory.file("streetgate.log")
    }

    /// How many times the daemon has said it is ready, over all its starts.
    var readyCount: Int {
        let log = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
        return log.components(separatedBy: "ready: every source subscribed").count - 1
    }

    var log: String {
        (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
    }

    mutating func spawn() throws {
        process = try ChildProcess(
            executable: BuiltProducts.path("streetgate"), arguments: ["run", "--config", configPath], outputPath: logPath
        )
    }

    /// Waits until the daemon has said ready more than `count` times in all.
    func waitReady(after count: Int) async throws {
        let process = self.process
        try await eventually(within: .seconds(30), "the gateway to become ready") {
            if let status = process?.terminationStatus {
                throw BrokerError(message: "streetgate exited with \(status): \(log.suffix(2000))")
            }
            return readyCount > count
        }
    }

    /// Sends `signal`, waits for the exit, and returns the status (the signal's number when it killed).
    mutating func stop(with signal: Int32) -> Int32 {
        guard let process else { return -1 }
        process.signal(signal)
        let status = process.wait()
        self.process = nil
        return status
    }
}
