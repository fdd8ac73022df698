// Contract checked here (issue "Prove it", scenario 5): the gateway's wall clock jumping back an
// hour, forward an hour, forward a day, while readings flow through the daemon's pipeline (rules,
// windows, the real buffer). What the daemon is held to:
// - The daemon's clock (`ForwardWallClock`) never goes back: set back, it runs on from where it was
//   at nine tenths of real time until the time of day catches up. Readings stamped on arrival stay
//   in order, so the rules judge them and the windows take them as they come.
// - Windows: after the run, every window's latest revision holds exactly the readings stored for
//   it; its revisions run 0, 1, 2… without a gap (rev 0 is never emitted twice); no aggregate
//   without readings.
// - `silent` means: a series that has reported goes `for` without a reading, by the pipeline's time
//   (the readings' own time while they lag the wall clock, run on by the wall clock through lulls,
//   see `PipelineClock`, else the wall clock). So when sensors put their time in the payload, a
//   jump of the gateway's clock raises nothing, lulls between readings included; when the gateway
//   stamps readings on arrival, a forward jump longer than `for` makes each series that has not
//   reported since the jump silent once, cleared by its next reading, and a jump shorter than
//   `for` or backwards raises nothing.
// - Holds (`for` on `above`/`below`) are measured in reading time: a backward jump never satisfies
//   one early; a forward jump, with arrival stamps, counts as time that passed.
import Foundation
import GatewayCore
import Testing
@testable import GatewayDaemon

@Suite("The wall clock jumping while readings flow")
struct ClockJumpTests {
    static let rules = """
        [[rule]]
        name = "quiet"
        sensors = "+/water/+"
        metric = "flow"
        when = "silent"
        for = "5m"
        severity = "minor"

        [[rule]]
        name = "high"
        sensors = "+/water/+"
        metric = "flow"
        when = "above"
        threshold = 100.0
        for = "2m"
        severity = "major"
        """

    static let sensors = ["fes/water/meter-1", "fes/water/meter-2", "fes/water/meter-3"]
    static let hour: Int64 = 3_600_000
    static let jumpAt: Int64 = 1_200

    /// Each sensor every 5 s; meter-3 goes above the `high` threshold 60 s before the jump and stays
    /// there, so its 2-minute hold runs out 60 s after it.
    static func value(_ sensor: String, _ second: Int64) -> Double? {
        switch sensor {
        case "fes/water/meter-1": second % 5 == 0 ? Double(second % 50) : nil
        case "fes/water/meter-2": second % 5 == 2 ? Double(second % 40) : nil
        default: second % 5 == 4 ? (second >= jumpAt - 60 ? 150 : 50) : nil
        }
    }

    /// 20 minutes, the jump, 20 more minutes.
    static func runAcrossJump(_ stamp: ClockJumpRig.Stamp, jump: Int64) throws -> ClockJumpRig {
        let rig = try ClockJumpRig(stamp: stamp, rules: rules)
        try rig.run(seconds: Int(jumpAt), sensors: sensors, value)
        rig.jump(by: jump)
        try rig.run(seconds: 1_200, sensors: sensors, value)
        return rig
    }

    @Test("windows stay exact across a jump: latest revision = the stored readings, revisions 0, 1, 2… with no gap, no empty window",
          arguments: ClockJumpRig.Stamp.allCases, [-hour, hour, 24 * hour])
    func windowsStayExact(stamp: ClockJumpRig.Stamp, jump: Int64) throws {
        let rig = try Self.runAcrossJump(stamp, jump: jump)
        // Two hours without readings: every window closes, whichever clock was ahead.
        try rig.silence(seconds: 2 * 3_600 + 300)

        let readings = try rig.readings()
        #expect(rig.duplicates == 0 && readings.count == rig.fed, "every reading stored once")
        let expected = Self.aggregates(of: readings)
        var emitted: [Aggregate.Key: [Aggregate]] = [:]
        for aggregate in try rig.aggregates() {
            emitted[Aggregate.Key(sensor: aggregate.sensor, metric: aggregate.metric, start: aggregate.start), default: []].append(aggregate)
        }
        #expect(Set(emitted.keys) == Set(expected.keys), "one aggregate per window with readings, none without")
        for (key, revisions) in emitted {
            #expect(revisions.map(\.rev) == Array(0..<revisions.count), "\(key): revisions in order, none twice")
            let latest = try #require(revisions.last)
            let want = try #require(expected[key])
            #expect(latest.count == want.count && latest.min == want.min && latest.max == want.max, "\(key)")
            #expect(abs(latest.sum - want.sum) < 1e-9 && latest.last == want.last, "\(key)")
        }
        let revisions = emitted.values.reduce(0) { $0 + $1.count - 1 }
        print("clock jump \(jump / 60_000) min, \(stamp) stamps: \(emitted.count) windows exact, \(revisions) revisions")
    }

    @Test("silent: sensors that stamp their readings raise nothing; with arrival stamps, only a forward jump longer than `for` raises, once per sensor, cleared by its next reading",
          arguments: ClockJumpRig.Stamp.allCases, [-hour, 60_000, hour, 24 * hour])
    func silentAlerts(stamp: ClockJumpRig.Stamp, jump: Int64) throws {
        let rig = try Self.runAcrossJump(stamp, jump: jump)
        let quiet = try rig.alerts().filter { $0.rule == "quiet" }
        guard stamp == .received && jump > 5 * 60_000 else {
            #expect(quiet.isEmpty, "\(quiet.map { "\($0.sensor) \($0.state) at \($0.at.rfc3339)" })")
            return
        }
        // The tick right after the jump: meter-1 reported in that very second, the others had not.
        let jumpedAt = Timestamp(milliseconds: ClockJumpRig.start + Self.jumpAt * 1_000 + jump)
        let raised = quiet.filter { $0.state == .raised }
        #expect(Set(raised.map(\.sensor)) == ["fes/water/meter-2", "fes/water/meter-3"])
        #expect(raised.allSatisfy { $0.at == jumpedAt })
        #expect(raised.count == 2, "once per sensor")
        let cleared = quiet.filter { $0.state == .cleared }
        #expect(Set(cleared.map(\.id)) == Set(raised.map(\.id)), "each cleared")
        #expect(cleared.allSatisfy { $0.at.milliseconds - jumpedAt.milliseconds < 5_000 }, "by the sensor's next reading")
    }

    @Test("a hold is never satisfied early by a backward jump; a forward jump with arrival stamps counts as time that passed",
          arguments: ClockJumpRig.Stamp.allCases, [-hour, hour, 24 * hour])
    func holds(stamp: ClockJumpRig.Stamp, jump: Int64) throws {
        let rig = try Self.runAcrossJump(stamp, jump: jump)
        let high = try rig.alerts().filter { $0.rule == "high" }
        #expect(high.allSatisfy { $0.sensor == "fes/water/meter-3" && $0.state == .raised })
        #expect(high.count <= 1)
        let heldFrom = ClockJumpRig.start + (Self.jumpAt - 60) * 1_000
        switch (stamp, jump > 0) {
        case (.device, _):
            // Readings carry the true time: raised by the first reading 2 minutes into the hold.
            let raise = try #require(high.first)
            #expect(raise.at.milliseconds >= heldFrom + 120_000 && raise.at.milliseconds < heldFrom + 130_000)
        case (.received, true):
            // The gateway's clock says an hour passed: raised by the first tick after the jump.
            let raise = try #require(high.first)
            #expect(raise.at.milliseconds == ClockJumpRig.start + Self.jumpAt * 1_000 + jump)
        case (.received, false):
            // The clock runs on from before the jump, slowed: raised 2 minutes into the hold by the
            // stamps, which is later than 2 minutes of real time, never earlier.
            let raise = try #require(high.first)
            #expect(raise.at.milliseconds >= heldFrom + 120_000 && raise.at.milliseconds < heldFrom + 130_000)
        }
    }

    @Test("a first start that meets an hour-old backlog windows it by its own time: every window once, at rev 0")
    func firstStartBacklog() throws {
        let rig = try ClockJumpRig(stamp: .device, rules: "")
        let backlogStart = ClockJumpRig.start - Self.hour
        // Ten minutes of three sensors, a reading a second each, delivered in bursts of 50.
        var readings: [Reading] = []
        for second in 0..<600 {
            for (index, sensor) in Self.sensors.enumerated() {
                let time = Timestamp(milliseconds: backlogStart + Int64(second) * 1_000 + Int64(index))
                readings.append(Reading(sensor: sensor, metric: "flow", time: time, value: Double(second % 7)))
            }
        }
        try rig.silence(seconds: 3)   // the evaluation service ticks before the broker delivers
        for burst in stride(from: 0, to: readings.count, by: 50) {
            try rig.gateway.pipeline.store(readings: Array(readings[burst..<min(burst + 50, readings.count)]), deadLetters: [])
        }
        try rig.silence(seconds: 60)  // idle: the backlog's time runs on and closes the last window
        let aggregates = try rig.aggregates()
        #expect(aggregates.allSatisfy { $0.rev == 0 }, "\(aggregates.filter { $0.rev > 0 }.count) revisions")
        #expect(aggregates.count == 30)
        let expected = Self.aggregates(of: readings)
        for aggregate in aggregates {
            let want = try #require(expected[Aggregate.Key(sensor: aggregate.sensor, metric: aggregate.metric, start: aggregate.start)])
            #expect(aggregate.count == want.count && aggregate.sum == want.sum && aggregate.last == want.last)
        }
    }

    @Test("a reading that arrives in the batch that closes its window is counted in that window")
    func lateInTheClosingBatch() throws {
        let rig = try ClockJumpRig(stamp: .device, rules: "")
        let minute = ClockJumpRig.start
        let first = Reading(sensor: "fes/water/meter-1", metric: "flow", time: Timestamp(milliseconds: minute + 30_000), value: 1)
        try rig.gateway.pipeline.store(readings: [first], deadLetters: [])
        // The source was away: no tick, no batch, until after the window's close time (end + 10 s).
        rig.jump(by: 70_500)
        let held = Reading(sensor: "fes/water/meter-1", metric: "flow", time: Timestamp(milliseconds: minute + 59_900), value: 2)
        let next = Reading(sensor: "fes/water/meter-1", metric: "flow", time: Timestamp(milliseconds: minute + 65_000), value: 4)
        try rig.gateway.pipeline.store(readings: [held, next], deadLetters: [])
        try rig.silence(seconds: 120)
        let windows = try rig.aggregates().filter { $0.start.milliseconds == minute }
        #expect(windows.map(\.rev) == [0])
        #expect(windows.first?.count == 2 && windows.first?.sum == 3 && windows.first?.last == 2)
    }

    @Test("after a jump back, readings stamped on arrival are judged by the rules: meter-3, above its threshold for 21 minutes, raises `high` once")
    func backwardJumpKeepsRulesJudging() throws {
        let rig = try Self.runAcrossJump(.received, jump: -Self.hour)
        let high = try rig.alerts().filter { $0.rule == "high" }
        #expect(high.count == 1, "\(high.map { "\($0.sensor) \($0.state) at \($0.at.rfc3339)" })")
        let stamps = try rig.readings().filter { $0.sensor == "fes/water/meter-3" }.map(\.time)
        #expect(stamps == stamps.sorted() && Set(stamps).count == stamps.count, "arrival stamps never go back")
    }

    @Test("with the gateway's clock ahead of the sensors' and a lull longer than 25 s between readings, no sensor reporting every minute looks silent")
    func forwardJumpWithLullsStaysQuiet() throws {
        let rig = try ClockJumpRig(stamp: .device, rules: Self.rules)
        // Each sensor once a minute: the pipeline sees no batch for more than 15 s + grace between them.
        let everyMinute: (String, Int64) -> Double? = { sensor, second in
            let phase: Int64 = sensor.hasSuffix("1") ? 0 : sensor.hasSuffix("2") ? 2 : 4
            return second % 60 == phase ? Double(second % 50) : nil
        }
        try rig.run(seconds: Int(Self.jumpAt), sensors: Self.sensors, everyMinute)
        rig.jump(by: Self.hour)
        try rig.run(seconds: 1_200, sensors: Self.sensors, everyMinute)
        let quiet = try rig.alerts().filter { $0.rule == "quiet" }
        #expect(quiet.isEmpty, "\(quiet.map { "\($0.sensor) \($0.state) at \($0.at.rfc3339)" })")
        // The lulls close the windows by the sensors' time, so none of their readings came late.
        #expect(try rig.aggregates().allSatisfy { $0.rev == 0 })

        // Then the sensors stop: still silent once each, `for` after their last reading.
        try rig.silence(seconds: 6 * 60)
        let raised = try rig.alerts().filter { $0.rule == "quiet" && $0.state == .raised }
        #expect(Set(raised.map(\.sensor)) == Set(Self.sensors) && raised.count == 3)
    }

    /// What each window should hold, from the readings themselves.
    static func aggregates(of readings: [Reading]) -> [Aggregate.Key: Aggregate] {
        var result: [Aggregate.Key: Aggregate] = [:]
        for reading in readings {
            // Every time here is after 1970: plain division rounds down.
            let start = Timestamp(milliseconds: reading.time.milliseconds / ClockJumpRig.window * ClockJumpRig.window)
            let key = Aggregate.Key(sensor: reading.sensor, metric: reading.metric, start: start)
            if let existing = result[key] {
                result[key] = existing.adding(reading)
            } else {
                result[key] = Aggregate(first: reading, start: start, windowSeconds: 60)
            }
        }
        return result
    }
}
