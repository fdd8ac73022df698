import Testing

@testable import GatewayCore

@Suite("Rules: silent")
struct RuleSilentTests: RuleTesting {
    @Test("a sensor that stops reporting raises on the clock, with no value")
    func raisesOnTick() throws {
        var bench = RuleBench(rule("dead-battery", .silent, sensors: "+/waste/+", metric: "fill", for: .seconds(30 * 60)))
        bench.read([40, 41], from: 0, every: 10, sensor: "fes/waste/bin-7", metric: "fill")
        #expect(bench.tick(minutes: 10, through: 39).isEmpty)
        let actions = bench.tick(minute(40))
        let event = try #require(actions.raises.first)
        #expect(actions.count == 1)
        #expect(event.id == "dead-battery/fes/waste/bin-7/\(minute(40).milliseconds)")
        #expect(event.metric == "fill")
        #expect(event.value == nil)
        #expect(event.threshold == nil)
        #expect(bench.tick(minutes: 41, through: 300).isEmpty, "raised once, however long it stays silent")
    }

    @Test("its next reading clears it with the same id")
    func readingClears() throws {
        var bench = RuleBench(rule(.silent, for: .seconds(5 * 60)))
        bench.read(1, at: minute(0))
        let raised = try #require(bench.tick(minute(6)).raises.first)
        let actions = bench.read(1, at: minute(50))
        let cleared = try #require(actions.clears.first)
        #expect(actions.count == 1)
        #expect(cleared.id == raised.id)
        #expect(cleared.at == minute(50))
        #expect(cleared.value == 1)
        #expect(bench.engine.activeAlerts.isEmpty)
    }

    @Test("a series never seen is never silent")
    func neverSeen() {
        var bench = RuleBench(rule(.silent, for: .seconds(60)))
        #expect(bench.tick(minutes: 0, through: 600).isEmpty)
        bench.read(1, at: minute(0), sensor: "seen")
        #expect(bench.tick(minute(700)).summary == ["raise r seen @700"], "only the sensor that reported")
    }

    @Test("readings on time keep postponing it")
    func readingsPostpone() {
        var bench = RuleBench(rule(.silent, for: .seconds(10 * 60)))
        for step in 0..<30 {
            bench.read(1, at: minute(Double(step * 5)))
            #expect(bench.tick(minute(Double(step * 5) + 4)).isEmpty)
        }
    }

    @Test("readings of another metric of the same sensor do not count")
    func otherMetricDoesNotCount() {
        var bench = RuleBench(rule(.silent, metric: "fill", for: .seconds(10 * 60)))
        bench.read(1, at: minute(0), metric: "fill")
        bench.read([1, 2, 3], from: 1, every: 4, metric: "battery")
        #expect(bench.tick(minute(10)).summary == ["raise r fes/water/meter-1 @10"])
    }
}
