import Testing

@testable import GatewayCore

@Suite("Rules: outlier")
struct RuleOutlierTests: RuleTesting {
    /// Readings around `level` with a little noise, two decimals, the same every run.
    static func noisy(_ count: Int, around level: Double, spread: Double = 0.5, seed: UInt64 = 1) -> [Double] {
        var random = SeededRandom(seed: seed)
        return (0..<count).map { _ in level + Double(Int.random(in: -50...50, using: &random)) / 100 * spread * 2 }
    }

    static let warmUp = HampelWindows.capacity

    @Test("no verdict before the window holds 32 readings, however wild the reading")
    func warmUpGivesNoVerdict() {
        var bench = RuleBench(rule(.outlier, threshold: 3.5))
        var values = Self.noisy(Self.warmUp, around: 20)
        values[20] = 1_000
        #expect(bench.read(values, from: 0).isEmpty)
        #expect(bench.read(1_000, at: minute(Double(Self.warmUp))).raises.count == 1, "reading 33 is judged")
    }

    @Test("a spike raises, and the next normal reading clears it with the same id")
    func spikeRaisesAndClears() throws {
        var bench = RuleBench(rule("spike", .outlier, threshold: 3.5))
        #expect(bench.read(Self.noisy(40, around: 20), from: 0).isEmpty)
        let raise = bench.read(35, at: minute(40))
        let raised = try #require(raise.raises.first)
        #expect(raised.value == 35)
        #expect(raised.threshold == 3.5)
        let clear = bench.read(20.1, at: minute(41))
        #expect(clear.clears.map(\.id) == [raised.id])
        #expect(bench.read(Self.noisy(20, around: 20, seed: 2), from: 42).isEmpty)
    }

    @Test("two spikes in a row keep one alert, cleared by the first normal reading")
    func consecutiveSpikes() {
        var bench = RuleBench(rule(.outlier, threshold: 3.5))
        bench.read(Self.noisy(40, around: 20), from: 0)
        let actions = bench.read([35, 36, 20], from: 40)
        #expect(actions.summary == ["raise r fes/water/meter-1 @40", "clear r fes/water/meter-1 @42"])
    }

    @Test("a drop as well as a rise is an outlier")
    func bothSides() {
        var bench = RuleBench(rule(.outlier, threshold: 3.5))
        bench.read(Self.noisy(40, around: 20), from: 0)
        #expect(bench.read(5, at: minute(40)).raises.count == 1)
    }

    @Test("after a level shift it raises once and stops alerting once the window has adapted")
    func levelShift() {
        var bench = RuleBench(rule(.outlier, threshold: 3.5))
        bench.read(Self.noisy(40, around: 20), from: 0)
        let actions = bench.read(Self.noisy(60, around: 50, seed: 3), from: 40)
        #expect(actions.raises.count == 1)
        #expect(actions.clears.count == 1)
        let clearedAfter = (actions.clears[0].at.milliseconds - minute(40).milliseconds) / 60_000
        #expect(clearedAfter <= Int64(Self.warmUp / 2 + 1), "cleared once the new level is the majority")
        #expect(bench.engine.activeAlerts.isEmpty)
    }

    @Test("on constant data (MAD 0) any other value raises and the constant value does not")
    func constantData() {
        var bench = RuleBench(rule(.outlier, threshold: 3.5))
        #expect(bench.read(Array(repeating: 0, count: 40), from: 0).isEmpty)
        #expect(bench.read(0, at: minute(40)).isEmpty)
        #expect(bench.read(0.4, at: minute(41)).summary == ["raise r fes/water/meter-1 @41"])
        #expect(bench.read(0, at: minute(42)).summary == ["clear r fes/water/meter-1 @42"])
    }

    @Test("on quantised data a step or two is normal and a jump of many steps is not")
    func quantisedData() {
        var bench = RuleBench(rule(.outlier, threshold: 3.5))
        // Mostly 20.0 with some 20.1: the MAD is 0, the resolution 0.1.
        let values = (0..<40).map { $0 % 5 == 0 ? 20.1 : 20.0 }
        #expect(bench.read(values, from: 0).isEmpty)
        #expect(bench.read([20.2, 19.9, 20.3], from: 40).isEmpty)
        #expect(bench.read(21.0, at: minute(43)).raises.count == 1)
    }

    @Test("a sensor switching between two levels is not flagged at each switch")
    func twoLevels() {
        var bench = RuleBench(rule(.outlier, threshold: 3.5))
        let pump = (0..<200).map { $0 % 4 == 3 ? 5.0 : 0.0 }
        #expect(bench.read(pump, from: 0).isEmpty)
    }

    @Test("a steady trend is followed, not flagged")
    func trend() {
        var bench = RuleBench(rule(.outlier, threshold: 3.5))
        let rising = (0..<300).map { 100 + Double($0) * 0.5 }
        #expect(bench.read(rising, from: 0).isEmpty)
    }

    @Test("each series has its own window: a sensor's spike is judged by its own history")
    func ownWindow() {
        var bench = RuleBench(rule(.outlier, threshold: 3.5))
        bench.read(Self.noisy(40, around: 20), from: 0, sensor: "low")
        bench.read(Self.noisy(40, around: 500, spread: 50), from: 0, sensor: "high")
        #expect(bench.read(480, at: minute(40), sensor: "high").isEmpty)
        #expect(bench.read(480, at: minute(40), sensor: "low").raises.count == 1)
    }
}

@Suite("Rules: robust scale and Hampel windows")
struct RuleRobustScaleTests: RuleTesting {
    static func bruteForceMedian(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        let n = sorted.count
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2
    }

    @Test("median and MAD agree with sorting, for every window size up to 40")
    func agreesWithSorting() {
        var random = SeededRandom(seed: 7)
        for count in 1...40 {
            for _ in 0..<20 {
                let values = (0..<count).map { _ in Float(Int.random(in: -30...30, using: &random)) / 4 }.sorted()
                let median = Self.bruteForceMedian(values.map(Double.init))
                let mad = Self.bruteForceMedian(values.map { (Double($0) - median).magnitude })
                values.withUnsafeBufferPointer { sorted in
                    #expect(RobustScale.median(of: sorted) == median)
                    #expect(RobustScale.medianAbsoluteDeviation(of: sorted, around: median) == mad)
                }
            }
        }
    }

    @Test("the resolution is the smallest gap between different values, 0 when all are equal")
    func resolution() {
        [Float(1), 1, 1.5, 2, 2.25].withUnsafeBufferPointer { #expect(RobustScale.resolution(of: $0) == 0.25) }
        [Float(3), 3, 3].withUnsafeBufferPointer { #expect(RobustScale.resolution(of: $0) == 0) }
    }

    @Test("deviations are |x − median| over 1.4826 MAD")
    func deviations() {
        // Median 10, MAD 1 (resolution 0.5 is smaller).
        let values: [Float] = [8, 9, 9.5, 10, 10.5, 11, 12]
        values.withUnsafeBufferPointer { sorted in
            let scale = 1.4826
            #expect((RobustScale.deviations(of: 10 + 3 * scale, in: sorted) - 3).magnitude < 1e-12)
            #expect(RobustScale.deviations(of: 10, in: sorted) == 0)
        }
    }

    @Test("a window keeps the last 32 readings, in order, whatever came before")
    func windowKeepsLastReadings() throws {
        var windows = HampelWindows()
        let first = windows.makeWindow()
        let second = windows.makeWindow()
        var random = SeededRandom(seed: 11)
        var all: [Double] = []
        for _ in 0..<500 {
            let value = Double(Int.random(in: 0...9, using: &random))
            all.append(value)
            _ = windows.judge(value, in: first)
            _ = windows.judge(-value, in: second)
            let last = Array(all.suffix(HampelWindows.capacity))
            #expect(windows.readings(in: first) == last)
            if all.count >= HampelWindows.capacity {
                // Brute force in Double: median, MAD and resolution of the last 32.
                let median = Self.bruteForceMedian(last)
                let mad = Self.bruteForceMedian(last.map { ($0 - median).magnitude })
                let distinct = Set(last).sorted()
                let resolution = zip(distinct, distinct.dropFirst()).map { $1 - $0 }.min() ?? 0
                let scale = max(RobustScale.normalConsistency * mad, resolution)
                let expected = scale > 0 ? (4.5 - median).magnitude / scale : .infinity
                let actual = try #require(windows.deviations(of: 4.5, in: first))
                #expect((actual - expected).magnitude < 1e-9)
            } else {
                #expect(windows.deviations(of: 4.5, in: first) == nil)
            }
        }
        #expect(windows.readings(in: second) == all.suffix(HampelWindows.capacity).map { -$0 })
    }

    @Test("a restored window judges as the saved one did")
    func restoredWindow() throws {
        var windows = HampelWindows()
        let saved = windows.makeWindow()
        for value in RuleOutlierTests.noisy(45, around: 3) { _ = windows.judge(value, in: saved) }
        let restored = windows.makeWindow()
        windows.restore(try #require(windows.saved(saved)), into: restored)
        #expect(windows.readings(in: restored) == windows.readings(in: saved))
        #expect(windows.deviations(of: 4, in: restored) == windows.deviations(of: 4, in: saved))
    }

    @Test("a restored window of repeated, quantised values goes on exactly as the saved one, oldest out first")
    func restoredWindowWithRepeats() throws {
        var windows = HampelWindows()
        let saved = windows.makeWindow()
        let steps = (0..<45).map { Double($0 % 4) / 10 + 2 }
        for value in steps { _ = windows.judge(value, in: saved) }
        let restored = windows.makeWindow()
        windows.restore(try #require(windows.saved(saved)), into: restored)
        #expect(windows.saved(restored) == windows.saved(saved))
        for value in [2.1, 9.0, 2.0, 2.3, 2.2] + steps {
            #expect(windows.judge(value, in: restored) == windows.judge(value, in: saved))
        }
        #expect(windows.saved(restored) == windows.saved(saved))
    }

    @Test("a restored window takes the last 32 saved offsets and skips those that are not finite")
    func restoredLongWindow() throws {
        var windows = HampelWindows()
        let window = windows.makeWindow()
        let offsets: [Float] = (0..<40).map { Float($0) } + [.nan, .infinity]
        windows.restore(SavedWindow(anchor: 100, offsets: offsets), into: window)
        #expect(windows.readings(in: window) == (10..<40).map { 100 + Double($0) })
    }

    @Test("a meter at a million keeps its tenths, and a reading is judged at that precision")
    func largeValues() {
        var bench = RuleBench(rule(.outlier, threshold: 3.5))
        let tenths = (0..<40).map { 1_234_567.8 + Double($0 % 3) / 10 }
        #expect(bench.read(tenths, from: 0).isEmpty)
        #expect(bench.read(1_234_567.9, at: minute(40)).isEmpty)
        #expect(bench.read(1_234_569.5, at: minute(41)).raises.count == 1)
    }

    @Test("after a jump to ten million, readings are judged to the tenth again")
    func jumpFarAway() {
        var bench = RuleBench(rule(.outlier, threshold: 5))
        let tenths = (0..<40).map { Double($0 % 3) / 10 }
        bench.read(tenths, from: 0)
        let far = bench.read(tenths.map { $0 + 10_000_000 } + tenths.map { $0 + 10_000_000 }, from: 40)
        #expect(far.raises.count == 1 && far.clears.count == 1, "one alert for the jump")
        // Median 0.1 above the level, scale 1.4826 × 0.1: 0.8 is 4.7 deviations, 1.5 is 9.4.
        #expect(bench.read(10_000_000.8, at: minute(120)).isEmpty)
        #expect(bench.read(10_000_001.5, at: minute(121)).raises.count == 1)
    }

    @Test("a level that drifts a long way is still judged by its recent spread")
    func longDrift() {
        var bench = RuleBench(rule(.outlier, threshold: 3.5))
        let climbing = (0..<2_000).map { 10 + Double($0) * 1_000 + Double($0 % 3) }
        #expect(bench.read(climbing, from: 0).isEmpty)
        let last = climbing.last!
        #expect(bench.read(last + 1_000 + 1, at: minute(2_000)).isEmpty)
        #expect(bench.read(last + 60_000, at: minute(2_001)).raises.count == 1)
    }
}
