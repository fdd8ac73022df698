import Foundation
import GatewayCore
import GatewayStore
import Logging
import Synchronization
@testable import GatewayDaemon

/// A wall clock the test sets, for tests of the pipeline alone.
final class SettableWallClock: WallClock {
    private let current: Mutex<Timestamp>

    init(_ start: Timestamp) {
        current = Mutex(start)
    }

    func now() -> Timestamp {
        current.withLock { $0 }
    }

    func advance(by milliseconds: Int64) {
        current.withLock { $0 = Timestamp(milliseconds: $0.milliseconds + milliseconds) }
    }
}

/// The system's clocks in the test's hands: time passing moves both, a jump only the time of day.
final class SettableSystemClocks: SystemClocks {
    private let clocks: Mutex<(realtime: Int64, monotonic: Int64)>

    init(realtime: Int64) {
        clocks = Mutex((realtime, 0))
    }

    func realtime() -> Int64 {
        clocks.withLock { $0.realtime }
    }

    func monotonic() -> Int64 {
        clocks.withLock { $0.monotonic }
    }

    func advance(by milliseconds: Int64) {
        clocks.withLock { $0 = ($0.realtime + milliseconds, $0.monotonic + milliseconds) }
    }

    func jump(by milliseconds: Int64) {
        clocks.withLock { $0.realtime += milliseconds }
    }
}

/// The daemon's pipeline (`Gateway.build`, as `streetgate run` builds it) on a real buffer in a
/// temporary folder, with the system's clocks in the test's hands, driven a second at a time as the
/// evaluation service drives it: the readings of that second are stored, then the clock ticks.
/// The daemon reads the time as it does in production, through a `ForwardWallClock` (what
/// `SystemWallClock` is over the kernel's clocks).
///
/// Two kinds of sensors: those that put their own time in the payload (`.device`: the true time,
/// whatever the gateway's clock says) and those that do not (`.received`: the gateway stamps them
/// with its clock, as `SourceBatchStore` does for a payload without a time).
final class ClockJumpRig {
    enum Stamp: String, Sendable, CaseIterable {
        case received, device
    }

    static let window: Int64 = 60_000
    /// 2026-11-26T12:00:00Z, a whole minute.
    static let start: Int64 = 1_795_694_400_000

    let stamp: Stamp
    let directory: String
    let system: SettableSystemClocks
    let clock: ForwardWallClock
    let gateway: Gateway
    /// What the sensors' own clocks say: advances a second per step, never jumps.
    private(set) var trueTime: Int64 = ClockJumpRig.start
    /// Readings handed to the pipeline, and how many the store took as new.
    private(set) var fed = 0
    private(set) var inserted = 0
    private(set) var duplicates = 0

    /// - Parameter rules: `[[rule]]` tables appended to the configuration.
    init(stamp: Stamp, rules: String) throws {
        self.stamp = stamp
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("streetgate-clock-\(UUID().uuidString)").path
        let toml = """
            [gateway]
            id = "clock-jump"
            data_dir = "\(directory)"
            timezone = "UTC"

            [[source]]
            name = "local"
            url = "mqtt://127.0.0.1:1"
            topics = ["city/+/+/+/+"]

            [aggregate]
            window = "1m"
            grace = "10s"

            \(rules)
            """
        guard case .valid(let config) = ConfigLoader.parse(toml, file: "clock-jump.toml") else {
            throw RigError(message: "\(ConfigLoader.parse(toml, file: "clock-jump.toml").problems)")
        }
        system = SettableSystemClocks(realtime: Self.start)
        clock = ForwardWallClock(system)
        gateway = try Gateway.build(config: config, logger: Logger(label: "clock-jump") { _ in SwiftLogNoOpLogHandler() }, clock: clock)
    }

    deinit {
        try? gateway.writer.close()
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// One second: every sensor whose `value` returns a number for this true second reports it,
    /// arriving `arrival` ms into the second; then the evaluation service ticks.
    func second(_ value: (_ sensor: String, _ trueSecond: Int64) -> Double?, sensors: [String]) throws {
        let secondOfRun = (trueTime - Self.start) / 1_000
        var readings: [Reading] = []
        for (index, sensor) in sensors.enumerated() {
            guard let number = value(sensor, secondOfRun) else { continue }
            // Arrival jitter, distinct per sensor, so received stamps do not fall on whole seconds.
            let jitter: Int64 = (secondOfRun * 37) % 200
            let offset: Int64 = 17 + 131 * Int64(index) + jitter
            let time = stamp == .device ? trueTime + offset : clock.now().milliseconds + offset
            readings.append(Reading(sensor: sensor, metric: "flow", time: Timestamp(milliseconds: time), value: number))
        }
        if !readings.isEmpty {
            let report = try gateway.pipeline.store(readings: readings, deadLetters: [])
            fed += readings.count
            inserted += report.inserted
            duplicates += report.duplicates
        }
        try gateway.pipeline.tick()
        trueTime += 1_000
        system.advance(by: 1_000)
    }

    /// `seconds` seconds with the same sensors and values.
    func run(seconds: Int, sensors: [String], _ value: (_ sensor: String, _ trueSecond: Int64) -> Double?) throws {
        for _ in 0..<seconds { try second(value, sensors: sensors) }
    }

    /// Time passes with no reading at all: the clock ticks once a simulated second.
    func silence(seconds: Int) throws {
        for _ in 0..<seconds {
            try gateway.pipeline.tick()
            trueTime += 1_000
            system.advance(by: 1_000)
        }
    }

    /// The gateway's time of day jumps; the sensors' clocks and the monotonic clock do not.
    func jump(by milliseconds: Int64) {
        system.jump(by: milliseconds)
    }

    private func reader() throws -> BufferReader {
        try BufferReader(path: databasePath(for: gateway.config))
    }

    /// Every aggregate stored, in emission order.
    func aggregates() throws -> [Aggregate] {
        try reader().aggregates(since: 0, limit: 10_000_000).map(\.aggregate)
    }

    /// Every alert event stored, in decision order.
    func alerts() throws -> [AlertEvent] {
        try reader().alertEvents(since: 0, limit: 10_000_000).map(\.event)
    }

    /// Every reading stored.
    func readings() throws -> [Reading] {
        var readings: [Reading] = []
        try reader().export(since: Timestamp(milliseconds: 0)) { readings.append($0) }
        return readings
    }
}

struct RigError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
