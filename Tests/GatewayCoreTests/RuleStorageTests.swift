import Testing

@testable import GatewayCore

@Suite("Rules: what the engine keeps")
struct RuleStorageTests: RuleTesting {
    @Test("state is kept only for the rules that match a series, found once per series")
    func onlyMatchingRules() {
        var bench = RuleBench(
            rule("water-flow", .above, sensors: "+/water/+", metric: "flow", threshold: 2),
            rule("any-flow", .outlier, metric: "flow", threshold: 5),
            rule("waste-fill", .above, sensors: "+/waste/+", metric: "fill", threshold: 90))
        for step in 0..<10 {
            bench.read(1, at: minute(Double(step)), sensor: "fes/water/meter-1", metric: "flow")
            bench.read(1, at: minute(Double(step)), sensor: "fes/water/meter-1", metric: "battery")
        }
        #expect(bench.engine.trackedSeries == 2)
        #expect(bench.engine.table.watches.count == 2, "water-flow and any-flow watch the flow; nothing the battery")
        #expect(bench.engine.windows.count == 1)
    }

    @Test("per-series and per-rule records stay small")
    func recordSizes() {
        #expect(MemoryLayout<Watch>.stride == 16)
        #expect(MemoryLayout<SeriesRecord>.stride == 40)
    }

    @Test("a segmented array keeps every element in place across its segments")
    func segmentedArray() {
        var array = SegmentedArray<Int>()
        for value in 0..<10_000 { array.append(value) }
        #expect(array.count == 10_000)
        #expect(array.indices.allSatisfy { array[$0] == $0 })
        // Segments hold 1024, 2048, 4096…: the second ends at 3072.
        for index in [0, 1023, 1024, 3071, 3072, 9_999] { array[index] = -1 }
        #expect([0, 1023, 1024, 3071, 3072, 9_999].allSatisfy { array[$0] == -1 })
        #expect(array[1022] == 1022 && array[3073] == 3073)
        // A block of 32 aligned to 32 lies in one segment, even at a segment's end.
        #expect(array.withBlock(from: 3040, count: 32) { Array($0) } == Array(3040..<3071) + [-1])
        array.withMutableBlock(from: 3072, count: 32) { block in
            for index in block.indices { block[index] = 7 }
        }
        #expect((3072..<3104).allSatisfy { array[$0] == 7 } && array[3104] == 3104)
    }

    @Test("a repeated reading with the same time is a duplicate, not a flatline")
    func duplicateIsNotARepeat() {
        var bench = RuleBench(rule(.flatline, for: .seconds(60)))
        bench.read(5, at: minute(0))
        bench.read(5, at: minute(0))
        #expect(bench.tick(minutes: 1, through: 30).isEmpty)
    }
}
