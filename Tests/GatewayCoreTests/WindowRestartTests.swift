import Testing

@testable import GatewayCore

@Suite("Windows across a restart")
struct WindowRestartTests {
    typealias T = WindowTest

    /// Two series, readings every 5 s for three minutes, with a late-ish one inside the grace.
    static let readings: [Reading] = (0..<36).flatMap { step -> [Reading] in
        let second = Int64(step) * 5
        return [T.reading("a", "flow", at: second, Double(step)), T.reading("b", "flow", at: second + 2, Double(-step))]
    } + [T.reading("a", "flow", at: 119, 99)]

    /// What an uninterrupted gateway emits: a tick every second, each reading added when it arrives
    /// (its own time, or 5 s later for the last one).
    static func uninterrupted() -> [Aggregate] {
        run(WindowAggregator(window: .seconds(60), grace: .seconds(10)), readings[...], fromSecond: 0).emitted
    }

    static func arrival(_ reading: Reading) -> Int64 {
        reading.value == 99 ? 124 : reading.time.milliseconds / 1_000
    }

    /// Feeds `readings` second by second from `fromSecond` to 400 s, as the daemon does live.
    static func run(
        _ start: WindowAggregator, _ readings: ArraySlice<Reading>, fromSecond: Int64, untilSecond: Int64 = 400
    ) -> (emitted: [Aggregate], windows: WindowAggregator) {
        var windows = start
        var emitted: [Aggregate] = []
        let sorted = readings.sorted { arrival($0) < arrival($1) }
        var next = sorted.startIndex
        for second in fromSecond...untilSecond {
            while next < sorted.endIndex, arrival(sorted[next]) <= second {
                emitted += T.emitted(windows.add(sorted[next], now: T.time(second)))
                next += 1
            }
            emitted += T.emitted(windows.tick(now: T.time(second)))
        }
        return (emitted, windows)
    }

    /// Stops at `crashSecond`, keeps what was emitted and the watermark, then rebuilds from the
    /// buffer (every reading that arrived before the crash) as the daemon's contract says, and
    /// goes on from `restartSecond`.
    static func interrupted(crashSecond: Int64, restartSecond: Int64) -> [Aggregate] {
        let before = run(
            WindowAggregator(window: .seconds(60), grace: .seconds(10)), readings[...], fromSecond: 0,
            untilSecond: crashSecond)
        let watermark = before.windows.closedBefore
        let buffer = readings.filter { arrival($0) <= crashSecond }.sorted { arrival($0) < arrival($1) }
        var rebuilt = WindowAggregator(window: .seconds(60), grace: .seconds(10), closedBefore: watermark)
        for reading in buffer where reading.time >= watermark {
            #expect(rebuilt.add(reading, now: watermark) == [])
        }
        let after = run(rebuilt, readings.filter { arrival($0) > crashSecond }[...], fromSecond: restartSecond)
        return before.emitted + after.emitted
    }

    @Test("a restart in the middle of a window gives the same aggregates as an uninterrupted run")
    func midWindow() {
        let expected = Self.uninterrupted()
        #expect(expected.count == 6)
        #expect(Self.interrupted(crashSecond: 90, restartSecond: 91) == expected)
        #expect(Self.interrupted(crashSecond: 30, restartSecond: 31) == expected)
    }

    @Test("a restart during a window's grace keeps the readings that arrive within it")
    func duringGrace() {
        #expect(Self.interrupted(crashSecond: 121, restartSecond: 122) == Self.uninterrupted())
    }

    @Test("after a downtime longer than the grace, rebuilt windows are emitted whole on the first tick")
    func longDowntime() {
        let delivered = Self.readings.filter { Self.arrival($0) <= 90 }
        let expected = Self.run(
            WindowAggregator(window: .seconds(60), grace: .seconds(10)), delivered[...], fromSecond: 0
        ).emitted
        // The readings after the crash never reached the gateway, so the reference run lacks them too.
        #expect(Self.interrupted(crashSecond: 90, restartSecond: 300).filter { $0.start <= T.time(60) } == expected)
    }

    @Test("a reading from before the watermark is late after a restart")
    func beforeWatermark() {
        var windows = WindowAggregator(window: .seconds(60), grace: .seconds(10), closedBefore: T.time(120))
        #expect(windows.closedBefore == T.time(120))
        let old = T.reading(at: 119, 1)
        #expect(windows.add(old, now: T.time(120)) == [.late(old, windowStart: T.time(60))])
    }
}
