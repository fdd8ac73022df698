// Contract checked here: a start re-reads stored readings through the rules only when it must (there
// are rules, and the saved rule state is missing, unreadable or behind), and after such a replay the
// state is saved again soon, so the next start does not repeat it.
import Foundation
import GatewayCore
import GatewayStore
import Logging
import TestSupport
import Testing
@testable import GatewayDaemon

@Suite("Pipeline: what a start re-reads", .serialized)
struct PipelineRestartTests {
    static let start: Int64 = 1_795_694_400_000
    static let rule = """
        [[rule]]
        name = "high-flow"
        sensors = "+/water/+"
        metric = "flow"
        when = "above"
        threshold = 5.0
        clear = 4.0
        """

    @Test("a rule state saved as JSON by an older release is refused with a warning; the rules start afresh from every reading")
    func oldJSONSnapshot() throws {
        let buffer = try PipelineBuffer(rules: Self.rule)
        try buffer.writer.commit(readings: [buffer.reading(9, at: 0), buffer.reading(8, at: 1_000)])
        try buffer.writer.saveRulesSnapshot(
            Array(#"{"activeAlerts":[],"sensors":[]}"#.utf8), throughArrival: try buffer.writer.latestArrival())

        let (logger, messages) = RecordingLogHandler.logger()
        let pipeline = try buffer.pipeline(logger: logger)
        #expect(messages.all.contains { $0.level == .warning && $0.message == "rule state snapshot unreadable; rules start afresh" })
        #expect(pipeline.activeAlerts.map(\.id) == ["high-flow/fes/water/meter-1/\(Self.start)"])
        #expect(pipeline.rulesReplayedReadings)
    }

    @Test("with no rules, no reading goes through the rules again, and the clock still starts at the newest one after the snapshot")
    func noRulesNoReplay() throws {
        let buffer = try PipelineBuffer(rules: "")
        try buffer.writer.commit(readings: (0..<10).map { buffer.reading(1, at: Int64($0) * 1_000 + 60_000) })
        try buffer.writer.saveRulesSnapshot(RuleEngineState.empty.snapshot(), throughArrival: try buffer.writer.latestArrival())
        // Later ids with older times: the clock must see only these, as a replay through the rules would.
        try buffer.writer.commit(readings: (0..<5).map { buffer.reading(1, at: Int64($0) * 1_000) })

        let restored = try buffer.restore()
        #expect(restored.rulesReplayed == 0)
        #expect(restored.state.clock.eventTime == Timestamp(milliseconds: Self.start + 4_000))

        let fresh = try PipelineBuffer(rules: "")
        #expect(try fresh.restore().state.clock.eventTime == nil, "an empty buffer has no time of its own")
    }

    @Test("with rules, a snapshot saved after a replay spares the next start that replay, and keeps its alerts")
    func snapshotAfterReplay() throws {
        let buffer = try PipelineBuffer(rules: Self.rule)
        try buffer.writer.commit(readings: (0..<100).map { buffer.reading($0 == 50 ? 9 : 1, at: Int64($0) * 1_000) })
        let first = try buffer.pipeline()
        #expect(first.rulesReplayedReadings)
        try first.snapshotRules()

        let again = try buffer.restore()
        #expect(again.rulesReplayed == 0)
        #expect(again.state.rules.activeAlerts == first.activeAlerts)
    }

    @Test("after a start that replayed readings, the evaluation service saves the rule state within moments, not minutes")
    func catchUpSnapshot() async throws {
        let buffer = try PipelineBuffer(rules: Self.rule)
        try buffer.writer.commit(readings: [buffer.reading(9, at: 0)])
        let pipeline = try buffer.pipeline()
        #expect(try buffer.writer.rulesSnapshot() == nil)

        let service = EvaluationService(
            pipeline: pipeline, tickInterval: .milliseconds(10), snapshotInterval: .seconds(3_600),
            catchUpSnapshotAfter: .milliseconds(50), logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() })
        let running = Task { try await service.run() }
        defer { running.cancel() }
        let deadline = ContinuousClock.now + .seconds(10)
        while try buffer.writer.rulesSnapshot() == nil, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(10))
        }
        let saved = try #require(try buffer.writer.rulesSnapshot())
        #expect(saved.throughArrival == 1)
        #expect(try RuleEngineState(snapshot: saved.snapshot).activeAlerts.count == 1)
    }
}

/// A buffer in a temporary folder and the pipeline's configuration, with a clock set to a fixed time.
final class PipelineBuffer {
    let directory: String
    let config: GatewayConfig
    let writer: BufferWriter
    let clock = SettableWallClock(Timestamp(milliseconds: PipelineRestartTests.start + 3_600_000))

    init(rules: String, buffer: String = "") throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("streetgate-restart-\(UUID().uuidString)").path
        let toml = """
            [gateway]
            id = "restart"
            data_dir = "\(directory)"
            timezone = "UTC"

            \(buffer)

            [[source]]
            name = "local"
            url = "mqtt://127.0.0.1:1"
            topics = ["city/+/+/+/+"]

            \(rules)
            """
        guard case .valid(let config) = ConfigLoader.parse(toml, file: "restart.toml") else {
            throw RigError(message: "\(ConfigLoader.parse(toml, file: "restart.toml").problems)")
        }
        self.config = config
        try createDataDirectory(directory)
        writer = try BufferWriter(settings: StoreSettings(config: config), logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() })
    }

    deinit {
        try? writer.close()
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// A flow reading of `fes/water/meter-1`, `offset` ms after the tests' start time.
    func reading(_ value: Double, at offset: Int64) -> Reading {
        Reading(sensor: "fes/water/meter-1", metric: "flow", time: Timestamp(milliseconds: PipelineRestartTests.start + offset), value: value)
    }

    func pipeline(logger: Logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }) throws -> ReadingPipeline {
        try ReadingPipeline(config: config, zone: FixedOffsetZone.utc, writer: writer, clock: clock, logger: logger)
    }

    func restore() throws -> ReadingPipeline.Restored {
        try ReadingPipeline.restore(
            config: config, zone: FixedOffsetZone.utc, writer: writer, now: clock.now(),
            logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() })
    }
}
