import Testing

@testable import GatewayCore

/// Readings and times in whole seconds, for the window tests.
enum WindowTest {
    static func time(_ seconds: Int64) -> Timestamp {
        Timestamp(milliseconds: seconds * 1_000)
    }

    static func reading(
        _ sensor: String = "fes/water/m1", _ metric: String = "flow", at seconds: Int64, _ value: Double
    ) -> Reading {
        Reading(sensor: sensor, metric: metric, time: time(seconds), value: value)
    }

    static func emitted(_ actions: [WindowAction]) -> [Aggregate] {
        actions.compactMap { action in
            if case .emit(let aggregate) = action { aggregate } else { nil }
        }
    }

    static func late(_ actions: [WindowAction]) -> [Reading] {
        actions.compactMap { action in
            if case .late(let reading, _) = action { reading } else { nil }
        }
    }
}

@Suite("Window aggregates")
struct WindowAggregateTests {
    typealias T = WindowTest

    /// Values that are exact in binary, so sums and means compare exactly.
    @Test("count, min, max, sum, mean and last are exact on known data")
    func statistics() {
        var windows = WindowAggregator(window: .seconds(60), grace: .seconds(10))
        for (second, value) in [(0, 2.5), (10, -1.25), (20, 4.0), (30, 0.75)] as [(Int64, Double)] {
            #expect(windows.add(T.reading(at: second, value), now: T.time(second)) == [])
        }
        let aggregates = T.emitted(windows.tick(now: T.time(70)))
        #expect(
            aggregates == [
                Aggregate(
                    sensor: "fes/water/m1", metric: "flow", start: T.time(0), windowSeconds: 60, count: 4, min: -1.25,
                    max: 4.0, sum: 6.0, last: 0.75, lastTime: T.time(30), rev: 0)
            ])
        #expect(aggregates.first?.mean == 1.5)
    }

    @Test("last is the value with the greatest time, not the last to arrive")
    func lastByTime() {
        var windows = WindowAggregator(window: .seconds(60), grace: .seconds(10))
        _ = windows.add(T.reading(at: 50, 7), now: T.time(50))
        _ = windows.add(T.reading(at: 20, 3), now: T.time(52))
        let aggregate = T.emitted(windows.closeAll()).first
        #expect(aggregate?.last == 7)
        #expect(aggregate?.lastTime == T.time(50))
    }

    @Test("on a tie in time, last is the later arrival")
    func lastTie() {
        var windows = WindowAggregator(window: .seconds(60), grace: .seconds(10))
        _ = windows.add(T.reading(at: 40, 1), now: T.time(40))
        _ = windows.add(T.reading(at: 40, 2), now: T.time(41))
        #expect(T.emitted(windows.closeAll()).first?.last == 2)
    }

    @Test("adding a late reading updates count, min, max, sum and last")
    func addingNewer() {
        let stored = Aggregate(
            sensor: "s", metric: "m", start: T.time(0), windowSeconds: 60, count: 2, min: 1, max: 3, sum: 4, last: 3,
            lastTime: T.time(30), rev: 0)
        let merged = stored.adding(T.reading("s", "m", at: 45, -2))
        #expect(merged.count == 3)
        #expect(merged.min == -2)
        #expect(merged.max == 3)
        #expect(merged.sum == 2)
        #expect(merged.last == -2)
        #expect(merged.lastTime == T.time(45))
        #expect(merged.rev == 0)
    }

    @Test("a late reading older than lastTime does not change last")
    func addingOlder() {
        let stored = Aggregate(
            sensor: "s", metric: "m", start: T.time(0), windowSeconds: 60, count: 2, min: 1, max: 3, sum: 4, last: 3,
            lastTime: T.time(30), rev: 1)
        let merged = stored.adding(T.reading("s", "m", at: 10, 9))
        #expect(merged.max == 9)
        #expect(merged.last == 3)
        #expect(merged.lastTime == T.time(30))
        #expect(merged.rev == 1)
    }

    @Test("a revision raises rev, and a late reading for a window its series missed starts at rev 0")
    func revision() {
        let windows = WindowAggregator(window: .seconds(60), grace: .seconds(10))
        let stored = Aggregate(first: T.reading("s", "m", at: 5, 1), start: T.time(0), windowSeconds: 60)
        let revised = windows.revision(of: stored, adding: T.reading("s", "m", at: 59, 2))
        #expect(revised.rev == 1)
        #expect(revised.count == 2)
        #expect(revised.last == 2)
        let fresh = windows.revision(of: nil, adding: T.reading("s", "m", at: 119, 4))
        #expect(
            fresh
                == Aggregate(
                    sensor: "s", metric: "m", start: T.time(60), windowSeconds: 60, count: 1, min: 4, max: 4, sum: 4,
                    last: 4, lastTime: T.time(119), rev: 0))
    }

    @Test("an emitted aggregate never has a count of 0")
    func neverEmpty() {
        var windows = WindowAggregator(window: .seconds(60), grace: .seconds(10))
        _ = windows.add(T.reading(at: 1, 1), now: T.time(1))
        var aggregates = T.emitted(windows.tick(now: T.time(3_600)))
        aggregates += T.emitted(windows.closeAll())
        #expect(aggregates.count == 1)
        #expect(aggregates.allSatisfy { $0.count > 0 })
    }
}
