import Testing

@testable import GatewayCore

@Suite("Rules: rate")
struct RuleRateTests: RuleTesting {
    @Test("a change faster than the threshold per minute raises, whichever way it goes")
    func eitherWay() {
        var drop = RuleBench(rule("pressure-drop", .rate, metric: "pressure", threshold: 0.5))
        let dropping = drop.read([3.0, 3.1, 2.0], from: 0, metric: "pressure")
        #expect(dropping.summary == ["raise pressure-drop fes/water/meter-1 @2"])
        #expect(dropping.raises.first?.value == 2.0, "the reading, not the rate")
        #expect(dropping.raises.first?.threshold == 0.5)

        var rise = RuleBench(rule(.rate, threshold: 0.5))
        #expect(rise.read([3.0, 4.0], from: 0).summary == ["raise r fes/water/meter-1 @1"])
    }

    @Test("the rate is per minute of reading time, not per reading")
    func perMinute() {
        var bench = RuleBench(rule(.rate, threshold: 1.0))
        #expect(bench.read([10, 14, 18], from: 0, every: 5).isEmpty, "4 in 5 minutes is 0.8 a minute")
        #expect(bench.read(19.5, at: minute(11)).summary == ["raise r fes/water/meter-1 @11"], "1.5 in one minute")
        #expect(bench.read(20, at: minute(11.5)).summary == ["clear r fes/water/meter-1 @11.5"], "1.0 a minute is not above")
    }

    @Test("a later rate back at or below the threshold clears, once")
    func clears() {
        var bench = RuleBench(rule(.rate, threshold: 5))
        let actions = bench.read([50, 10, 0, 1, 1, 1], from: 0)
        #expect(actions.summary == ["raise r fes/water/meter-1 @1", "clear r fes/water/meter-1 @3"])
    }

    @Test("the first reading and a reading at the same time as the previous give no rate")
    func needsTwoTimes() {
        var bench = RuleBench(rule(.rate, threshold: 1))
        #expect(bench.read(100, at: minute(0)).isEmpty)
        #expect(bench.read(0, at: minute(0)).isEmpty)
        #expect(bench.read(0.5, at: minute(1)).isEmpty, "from 0 at the same time, not 100")
    }

    @Test("with `for`, the rate must stay high over consecutive readings that long")
    func rateHold() {
        var bench = RuleBench(rule(.rate, threshold: 1, for: .seconds(120)))
        let actions = bench.read([0, 5, 10, 15, 20], from: 0)
        #expect(actions.summary == ["raise r fes/water/meter-1 @3"])
    }

    @Test("the clock never raises a rate: it belongs to two readings")
    func noTickRaise() {
        var bench = RuleBench(rule(.rate, threshold: 1, for: .seconds(120)))
        bench.read([0, 5], from: 0)
        #expect(bench.tick(minutes: 2, through: 30).isEmpty)
    }
}
