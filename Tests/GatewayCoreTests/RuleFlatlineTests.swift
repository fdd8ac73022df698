import Testing

@testable import GatewayCore

@Suite("Rules: flatline")
struct RuleFlatlineTests: RuleTesting {
    @Test("a value repeated unchanged for `for` raises at the reading that completes it")
    func raisesOnReading() {
        var bench = RuleBench(rule("stuck-meter", .flatline, for: .seconds(30 * 60)))
        #expect(bench.read([12.5, 12.5, 12.5], from: 0, every: 10).isEmpty, "20 minutes")
        let actions = bench.read(12.5, at: minute(30))
        #expect(actions.summary == ["raise stuck-meter fes/water/meter-1 @30"])
        #expect(actions.raises.first?.value == 12.5)
        #expect(actions.raises.first?.threshold == nil)
        #expect(bench.read(12.5, at: minute(40)).isEmpty, "raised once")
    }

    @Test("a value that changes, however little, is not a flatline")
    func changingValue() {
        var bench = RuleBench(rule(.flatline, for: .seconds(10 * 60)))
        #expect(bench.read([5, 5, 5, 5.001, 5.001, 5.001, 5, 5], from: 0, every: 2).isEmpty)
    }

    @Test("a stuck value raises on the clock between readings")
    func raisesOnTick() {
        var bench = RuleBench(rule(.flatline, for: .seconds(15 * 60)))
        bench.read([7, 7], from: 0, every: 10)
        #expect(bench.tick(minutes: 11, through: 14).isEmpty)
        #expect(bench.tick(minute(15)).summary == ["raise r fes/water/meter-1 @15"])
    }

    @Test("a single reading followed by silence is not a flatline")
    func singleReading() {
        var bench = RuleBench(rule(.flatline, for: .seconds(15 * 60)))
        bench.read(7, at: minute(0))
        #expect(bench.tick(minutes: 1, through: 120).isEmpty)
    }

    @Test("the first different value clears it, and a new run must last `for` again")
    func changeClears() {
        var bench = RuleBench(rule(.flatline, for: .seconds(5 * 60)))
        let actions = bench.read([1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2], from: 0)
        #expect(actions.summary == [
            "raise r fes/water/meter-1 @5", "clear r fes/water/meter-1 @6", "raise r fes/water/meter-1 @11",
        ])
    }
}
