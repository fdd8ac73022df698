import Testing

@testable import GatewayCore

@Suite("Rules: above and below")
struct RuleLevelTests: RuleTesting {
    @Test("a value above the threshold raises an alert with the contract's fields")
    func aboveRaises() throws {
        var bench = RuleBench(rule("night-leak", .above, sensors: "+/water/+", threshold: 2.0, severity: .critical))
        #expect(bench.read(1.9, at: clock(1, 0)).isEmpty)
        #expect(bench.read(2.0, at: clock(1, 1)).isEmpty, "the threshold itself is not above it")
        let actions = bench.read(2.7, at: clock(1, 2))
        let event = try #require(actions.raises.first)
        #expect(actions.count == 1)
        #expect(event.id == "night-leak/fes/water/meter-1/\(clock(1, 2).milliseconds)")
        #expect(event.rule == "night-leak")
        #expect(event.sensor == "fes/water/meter-1")
        #expect(event.metric == "flow")
        #expect(event.severity == .critical)
        #expect(event.state == .raised)
        #expect(event.at == clock(1, 2))
        #expect(event.value == 2.7)
        #expect(event.threshold == 2.0)
        #expect(bench.engine.activeAlerts == [event])
    }

    @Test("an above alert clears once, when the value is back at the threshold, with the same id")
    func aboveClearsAtThreshold() throws {
        var bench = RuleBench(rule(.above, threshold: 2))
        let raised = try #require(bench.read(3, at: minute(0)).raises.first)
        #expect(bench.read(2.5, at: minute(1)).isEmpty)
        let actions = bench.read(2.0, at: minute(2))
        let cleared = try #require(actions.clears.first)
        #expect(actions.count == 1)
        #expect(cleared.id == raised.id)
        #expect(cleared.state == .cleared)
        #expect(cleared.at == minute(2))
        #expect(cleared.value == 2.0)
        #expect(cleared.threshold == 2)
        #expect(cleared.severity == raised.severity)
        #expect(bench.read(1, at: minute(3)).isEmpty, "cleared once only")
        #expect(bench.engine.activeAlerts.isEmpty)
    }

    @Test("below raises under the threshold and clears at or over it")
    func below() {
        var bench = RuleBench(rule("low-pressure", .below, metric: "pressure", threshold: 1.5))
        let actions = bench.read([2.0, 1.5, 1.4, 1.2, 1.5, 1.4], from: 0, metric: "pressure")
        #expect(actions.summary == [
            "raise low-pressure fes/water/meter-1 @2", "clear low-pressure fes/water/meter-1 @4",
            "raise low-pressure fes/water/meter-1 @5",
        ])
    }

    @Test("with hysteresis an alert clears only at the clear level, and hovering at the threshold raises once")
    func hysteresis() {
        var bench = RuleBench(rule(.above, threshold: 2.0, clear: 1.5))
        let actions = bench.read([2.1, 1.9, 2.1, 1.95, 2.2, 1.6, 2.05, 1.5, 1.9, 2.01], from: 0)
        #expect(actions.summary == ["raise r fes/water/meter-1 @0", "clear r fes/water/meter-1 @7", "raise r fes/water/meter-1 @9"])
    }

    @Test("below with hysteresis clears only at or above its clear level")
    func belowHysteresis() {
        var bench = RuleBench(rule(.below, threshold: 10, clear: 12))
        let actions = bench.read([11, 9, 11, 9.5, 11.9, 12, 9], from: 0)
        #expect(actions.summary == ["raise r fes/water/meter-1 @1", "clear r fes/water/meter-1 @5", "raise r fes/water/meter-1 @6"])
    }

    @Test("with `for` the alert is raised only once the value has stayed past the threshold that long")
    func holdRaisesAfterHeld() {
        var bench = RuleBench(rule(.above, threshold: 2, for: .seconds(15 * 60)))
        #expect(bench.read([3, 3, 3], from: 0, every: 5).isEmpty, "held 10 minutes")
        let actions = bench.read(2.5, at: minute(15))
        #expect(actions.summary == ["raise r fes/water/meter-1 @15"])
        #expect(actions.raises.first?.value == 2.5)
        #expect(bench.read(3, at: minute(20)).isEmpty, "no second raise")
    }

    @Test("a dip during the hold starts it over")
    func dipResetsHold() {
        var bench = RuleBench(rule(.above, threshold: 2, for: .seconds(10 * 60)))
        #expect(bench.read([3, 3, 1, 3, 3], from: 0, every: 4).isEmpty, "above 0–8, dip at 8, above again from 12")
        #expect(bench.read(3, at: minute(20)).isEmpty, "held 8 minutes since 12")
        #expect(bench.read(3, at: minute(22)).summary == ["raise r fes/water/meter-1 @22"])
    }

    @Test("a dip that stays above the clear level neither clears an active alert nor lets it raise again")
    func dipAboveClearLevel() {
        var bench = RuleBench(rule(.above, threshold: 2, clear: 1, for: .seconds(60)))
        let actions = bench.read([3, 3, 1.5, 3, 0.5], from: 0)
        #expect(actions.summary == ["raise r fes/water/meter-1 @1", "clear r fes/water/meter-1 @4"])
    }

    @Test("a hold runs out on the clock without another reading")
    func holdExpiresOnTick() {
        var bench = RuleBench(rule(.above, threshold: 2, for: .seconds(15 * 60)))
        #expect(bench.read(3, at: minute(0)).isEmpty)
        #expect(bench.tick(minutes: 1, through: 14).isEmpty)
        let actions = bench.tick(minute(15))
        #expect(actions.summary == ["raise r fes/water/meter-1 @15"])
        #expect(actions.raises.first?.value == 3, "the newest reading's value")
        #expect(bench.tick(minutes: 16, through: 30).isEmpty, "raised once")
        #expect(bench.read(3.5, at: minute(31)).isEmpty, "and not again by the next reading")
        #expect(bench.read(1, at: minute(32)).summary == ["clear r fes/water/meter-1 @32"])
    }

    @Test("the clock does not raise a hold that a reading broke")
    func brokenHoldOnTick() {
        var bench = RuleBench(rule(.above, threshold: 2, for: .seconds(15 * 60)))
        bench.read(3, at: minute(0))
        bench.read(1, at: minute(10))
        #expect(bench.tick(minutes: 11, through: 60).isEmpty)
    }

    @Test("readings of another metric, or of sensors outside the filter, are not judged")
    func otherSeriesIgnored() {
        var bench = RuleBench(rule(.above, sensors: "+/water/+", metric: "flow", threshold: 2))
        #expect(bench.read(9, at: minute(0), sensor: "fes/water/meter-1", metric: "pressure").isEmpty)
        #expect(bench.read(9, at: minute(0), sensor: "fes/waste/bin-1", metric: "flow").isEmpty)
        #expect(bench.read(9, at: minute(0), sensor: "fes/water/meter-1/extra", metric: "flow").isEmpty)
        #expect(bench.read(9, at: minute(0), sensor: "fes/water/meter-1", metric: "flow").raises.count == 1)
    }

    @Test("each series has its own alert under one rule")
    func seriesAreIndependent() {
        var bench = RuleBench(rule(.above, threshold: 2))
        bench.read(3, at: minute(0), sensor: "a/water/1")
        bench.read(3, at: minute(0), sensor: "b/water/1")
        bench.read(3, at: minute(1), sensor: "a/water/1")
        #expect(bench.engine.activeAlerts.map(\.sensor) == ["a/water/1", "b/water/1"])
        #expect(bench.read(1, at: minute(2), sensor: "b/water/1").summary == ["clear r b/water/1 @2"])
        #expect(bench.engine.activeAlerts.map(\.sensor) == ["a/water/1"])
    }

    @Test("a reading older than the series' newest is left alone by the rules")
    func lateReadingsIgnored() {
        var bench = RuleBench(rule(.above, threshold: 2))
        bench.read(1, at: minute(10))
        #expect(bench.read(5, at: minute(5)).isEmpty)
        #expect(bench.read(5, at: minute(10)).raises.count == 1, "the same time still counts")
    }
}
