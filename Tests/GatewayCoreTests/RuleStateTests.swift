import Foundation
import Testing

@testable import GatewayCore

@Suite("Rules: restarts")
struct RuleStateTests: RuleTesting {
    /// The state as the store would keep it: through its binary snapshot and back.
    static func roundTrip(_ state: RuleEngineState) throws -> RuleEngineState {
        try RuleEngineState(snapshot: state.snapshot())
    }

    /// Rules of every kind that keeps state: a hold, silence, outlier windows, flatline.
    static var mixedRules: [RuleConfig] {
        let tests = RuleStateTests()
        return [
            tests.rule("level", .above, threshold: 50, for: .seconds(300)),
            tests.rule("quiet", .silent, for: .seconds(600)),
            tests.rule("spike", .outlier, threshold: 3.5),
            tests.rule("stuck", .flatline, for: .seconds(600)),
        ]
    }

    /// Five sensors' noisy readings for 40 minutes, then a tick an hour later: active alerts,
    /// full windows, holds in progress.
    static func busyBench(rules: [RuleConfig]) -> RuleBench {
        var bench = RuleBench(rules: rules)
        for sensor in 0..<5 {
            bench.read(RuleOutlierTests.noisy(40, around: 48, spread: 4, seed: UInt64(sensor)), from: 0, sensor: "s/\(sensor)")
        }
        bench.tick(bench.minute(100))
        return bench
    }

    /// An engine restored from the snapshot the daemon saves: written straight from the engine.
    static func restarted(_ bench: RuleBench, rules: [RuleConfig]) throws -> RuleBench {
        RuleBench(rules: rules, restoring: try RuleEngineState(snapshot: bench.engine.snapshot()))
    }

    @Test("after a restart an active alert is not raised again, and still clears with its id")
    func activeAlertSurvives() throws {
        let rules = [rule("leak", .above, threshold: 2, clear: 1.5)]
        var before = RuleBench(rules: rules)
        let raised = try #require(before.read(3, at: minute(0)).raises.first)

        var after = try Self.restarted(before, rules: rules)
        #expect(after.engine.activeAlerts == [raised])
        #expect(after.read(3.5, at: minute(1)).isEmpty)
        #expect(after.tick(minute(2)).isEmpty)
        #expect(after.read(1.8, at: minute(3)).isEmpty, "hysteresis holds across the restart")
        let cleared = try #require(after.read(1.0, at: minute(4)).clears.first)
        #expect(cleared.id == raised.id)
        #expect(after.engine.activeAlerts.isEmpty)
    }

    @Test("a series seen before the restart still goes silent after it, with no new reading")
    func silenceSurvives() throws {
        let rules = [rule(.silent, for: .seconds(10 * 60))]
        var before = RuleBench(rules: rules)
        before.read(1, at: minute(0))
        var after = try Self.restarted(before, rules: rules)
        #expect(after.tick(minutes: 1, through: 9).isEmpty)
        #expect(after.tick(minute(10)).summary == ["raise r fes/water/meter-1 @10"])
    }

    @Test("a silent alert raised before the restart is cleared by the first reading after it")
    func silentAlertClearsAfterRestart() throws {
        let rules = [rule(.silent, for: .seconds(10 * 60))]
        var before = RuleBench(rules: rules)
        before.read(1, at: minute(0))
        let raised = try #require(before.tick(minute(10)).raises.first)
        var after = try Self.restarted(before, rules: rules)
        #expect(after.tick(minute(11)).isEmpty)
        #expect(after.read(2, at: minute(12)).clears.map(\.id) == [raised.id])
    }

    @Test("an outlier window survives a restart: no second warm-up")
    func outlierWindowSurvives() throws {
        let rules = [rule(.outlier, threshold: 3.5)]
        var before = RuleBench(rules: rules)
        before.read(RuleOutlierTests.noisy(40, around: 20), from: 0)
        var after = try Self.restarted(before, rules: rules)
        #expect(after.read(60, at: minute(40)).raises.count == 1)
    }

    @Test("a hold, a rate and a flatline carry on from the readings before the restart")
    func historySurvives() throws {
        let rules = [
            rule("hold", .above, threshold: 2, for: .seconds(10 * 60)),
            rule("rate", .rate, metric: "pressure", threshold: 1),
            rule("stuck", .flatline, metric: "level", for: .seconds(10 * 60)),
        ]
        var before = RuleBench(rules: rules)
        before.read(3, at: minute(0))
        before.read(10, at: minute(0), metric: "pressure")
        before.read([4, 4], from: 0, every: 5, metric: "level")

        var after = try Self.restarted(before, rules: rules)
        #expect(after.read(15, at: minute(1), metric: "pressure").summary == ["raise rate fes/water/meter-1 @1"])
        #expect(after.tick(minute(10)).summary == ["raise hold fes/water/meter-1 @10", "raise stuck fes/water/meter-1 @10"])
    }

    @Test("an alert whose rule is gone, or no longer matches, is cleared at the first tick")
    func orphansAreCleared() throws {
        let rules = [
            rule("gone", .above, threshold: 2),
            rule("narrowed", .above, sensors: "+/water/+", threshold: 2),
            rule("kept", .above, threshold: 2),
        ]
        var before = RuleBench(rules: rules)
        before.read(3, at: minute(0), sensor: "fes/water/meter-1")
        #expect(before.engine.activeAlerts.count == 3)

        let changed = [rule("narrowed", .above, sensors: "+/waste/+", threshold: 2), rule("kept", .above, threshold: 2)]
        var after = try Self.restarted(before, rules: changed)
        #expect(after.engine.activeAlerts.count == 3, "still active until cleared")
        let actions = after.tick(minute(1))
        #expect(Set(actions.clears.map(\.rule)) == ["gone", "narrowed"])
        #expect(actions.clears.allSatisfy { $0.value == nil && $0.at == minute(1) })
        #expect(after.engine.activeAlerts.map(\.rule) == ["kept"])
        #expect(after.tick(minute(2)).isEmpty)
    }

    @Test("rules reordered in the config find their state by name")
    func reorderedRules() throws {
        let rules = [rule("a", .above, threshold: 2), rule("b", .below, threshold: 0)]
        var before = RuleBench(rules: rules)
        before.read(3, at: minute(0))
        var after = try Self.restarted(before, rules: rules.reversed())
        #expect(after.read(3, at: minute(1)).isEmpty)
        #expect(after.read(1, at: minute(2)).summary == ["clear a fes/water/meter-1 @2"])
    }

    @Test("saving a restored engine gives the same state back")
    func stateIsStable() throws {
        let rules = Self.mixedRules
        let bench = Self.busyBench(rules: rules)
        let state = bench.engine.state
        #expect(!state.activeAlerts.isEmpty)
        let restored = RuleEngine(rules: rules, zone: FixedOffsetZone.utc, restoring: try Self.roundTrip(state))
        #expect(restored.state == state)
        #expect(restored.trackedSeries == bench.engine.trackedSeries)
    }

    @Test("the state keeps nothing for series whose only rules judge each reading on its own")
    func nothingToKeep() {
        var bench = RuleBench(rule(.above, threshold: 2), rule(.below, threshold: -2))
        bench.read([0, 1, 0.5], from: 0)
        #expect(bench.engine.state == .empty)
        #expect(RuleEngine(rules: [], zone: FixedOffsetZone.utc, restoring: .empty).state == .empty)
    }

    @Test("an alert event encodes the contract's fields, with its time in RFC 3339, and decodes back")
    func alertEventJSON() throws {
        let event = AlertEvent(
            id: "night-leak/fes/water/meter-0042/1764118800000", rule: "night-leak", sensor: "fes/water/meter-0042",
            metric: "flow", severity: .major, state: .raised, at: Timestamp(milliseconds: 1_764_119_700_000),
            value: 2.7, threshold: 2.0)
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let text = String(decoding: try encoder.encode(event), as: UTF8.self)
        #expect(text == #"{"at":"2025-11-26T01:15:00.000Z","id":"night-leak\/fes\/water\/meter-0042\/1764118800000","metric":"flow","rule":"night-leak","sensor":"fes\/water\/meter-0042","severity":"major","state":"raised","threshold":2,"value":2.7}"#)
        #expect(try JSONDecoder().decode(AlertEvent.self, from: Data(text.utf8)) == event)
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(AlertEvent.self, from: Data(text.replacingOccurrences(of: "2025-11-26T01:15:00.000Z", with: "yesterday").utf8))
        }
    }
}
