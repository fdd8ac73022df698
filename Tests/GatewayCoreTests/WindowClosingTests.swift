import Testing

@testable import GatewayCore

@Suite("Closing windows")
struct WindowClosingTests {
    typealias T = WindowTest

    @Test("a reading that arrives within grace after the window's end still counts")
    func withinGrace() {
        var windows = WindowAggregator(window: .seconds(60), grace: .seconds(10))
        _ = windows.add(T.reading(at: 30, 1), now: T.time(30))
        #expect(windows.add(T.reading(at: 59, 2), now: T.time(69)) == [])
        let aggregates = T.emitted(windows.tick(now: T.time(70)))
        #expect(aggregates.map(\.count) == [2])
    }

    @Test("a window closes exactly grace after its end, not a millisecond before")
    func closeTime() {
        var windows = WindowAggregator(window: .seconds(60), grace: .seconds(10))
        _ = windows.add(T.reading(at: 0, 1), now: T.time(0))
        #expect(windows.tick(now: Timestamp(milliseconds: 69_999)) == [])
        #expect(T.emitted(windows.tick(now: T.time(70))).count == 1)
    }

    @Test("a reading after the grace is late, not lost, and its window is not reopened")
    func afterGrace() {
        var windows = WindowAggregator(window: .seconds(60), grace: .seconds(10))
        _ = windows.add(T.reading(at: 30, 1), now: T.time(30))
        let late = T.reading(at: 59, 2)
        let actions = windows.add(late, now: T.time(70))
        #expect(actions.count == 2)
        #expect(T.emitted(actions).map(\.count) == [1])
        #expect(actions.last == .late(late, windowStart: T.time(0)))
        #expect(windows.openWindows == 0)
    }

    @Test("with no grace a window closes at its end")
    func noGrace() {
        var windows = WindowAggregator(window: .seconds(60), grace: .zero)
        _ = windows.add(T.reading(at: 59, 1), now: T.time(59))
        let actions = windows.add(T.reading(at: 60, 2), now: T.time(60))
        #expect(T.emitted(actions).map(\.start) == [T.time(0)])
        #expect(windows.openWindows == 1)
    }

    @Test("tick closes windows with no further readings")
    func tickAlone() {
        var windows = WindowAggregator(window: .seconds(60), grace: .seconds(10))
        _ = windows.add(T.reading(at: 5, 1), now: T.time(5))
        _ = windows.add(T.reading(at: 65, 2), now: T.time(65))
        #expect(T.emitted(windows.tick(now: T.time(70))).map(\.start) == [T.time(0)])
        #expect(T.emitted(windows.tick(now: T.time(129))) == [])
        #expect(T.emitted(windows.tick(now: T.time(3_600))).map(\.start) == [T.time(60)])
        #expect(windows.openWindows == 0)
        #expect(windows.earliestOpenStart == nil)
    }

    @Test("many series close in (start, sensor, metric) order whatever their arrival order")
    func deterministicOrder() {
        var windows = WindowAggregator(window: .seconds(60), grace: .seconds(10))
        let arrivals = [
            ("b", "flow", 61), ("a", "temp", 5), ("c", "flow", 10), ("a", "flow", 62), ("b", "flow", 20),
            ("a", "flow", 30), ("a", "temp", 119),
        ] as [(String, String, Int64)]
        for (sensor, metric, second) in arrivals {
            #expect(windows.add(T.reading(sensor, metric, at: second, 1), now: T.time(60)) == [])
        }
        let order = T.emitted(windows.tick(now: T.time(130))).map {
            "\($0.start.milliseconds / 1_000) \($0.sensor) \($0.metric)"
        }
        #expect(order == ["0 a flow", "0 a temp", "0 b flow", "0 c flow", "60 a flow", "60 a temp", "60 b flow"])
    }

    @Test("closeAll closes every open window, future ones included, and later readings for them are late")
    func closeAll() {
        var windows = WindowAggregator(window: .seconds(60), grace: .seconds(10))
        _ = windows.add(T.reading(at: 5, 1), now: T.time(5))
        _ = windows.add(T.reading(at: 7_200, 2), now: T.time(6))
        #expect(windows.openWindows == 2)
        #expect(T.emitted(windows.closeAll()).map(\.start) == [T.time(0), T.time(7_200)])
        #expect(windows.openWindows == 0)
        #expect(windows.closedBefore == T.time(7_260))
        #expect(T.late(windows.add(T.reading(at: 7_230, 3), now: T.time(7)))
            == [T.reading(at: 7_230, 3)])
        #expect(windows.closeAll() == [])
    }

    @Test("a reading from the future keeps its window open until that window's own close time")
    func future() {
        var windows = WindowAggregator(window: .seconds(60), grace: .seconds(10))
        _ = windows.add(T.reading(at: 600, 1), now: T.time(0))
        #expect(windows.tick(now: T.time(600)) == [])
        #expect(windows.earliestOpenStart == T.time(600))
        #expect(windows.closedBefore == T.time(540))
        #expect(T.emitted(windows.tick(now: T.time(670))).map(\.start) == [T.time(600)])
    }

    @Test("the watermark only moves forward and never passes an open window")
    func watermark() {
        var windows = WindowAggregator(window: .seconds(60), grace: .seconds(10))
        _ = windows.add(T.reading("a", "m", at: 50, 1), now: T.time(50))
        _ = windows.add(T.reading("b", "m", at: 65, 1), now: T.time(65))
        _ = windows.tick(now: T.time(100))
        #expect(windows.closedBefore == T.time(60))
        #expect(windows.earliestOpenStart == T.time(60))
        _ = windows.tick(now: T.time(20))
        #expect(windows.closedBefore == T.time(60))
        // Series a has nothing in [60, 120), b does: the watermark may not pass b's window.
        _ = windows.add(T.reading("a", "m", at: 125, 1), now: T.time(129))
        #expect(windows.closedBefore == T.time(60))
        #expect(windows.earliestOpenStart == T.time(60))
        _ = windows.tick(now: T.time(130))
        #expect(windows.closedBefore == T.time(120))
        #expect(windows.earliestOpenStart == T.time(120))
    }

    @Test("a closed window leaves memory")
    func memory() {
        var windows = WindowAggregator(window: .seconds(60), grace: .seconds(10))
        for sensor in 0..<100 {
            _ = windows.add(T.reading("s\(sensor)", "m", at: 1, 1), now: T.time(1))
            _ = windows.add(T.reading("s\(sensor)", "m", at: 61, 1), now: T.time(61))
        }
        #expect(windows.openWindows == 200)
        _ = windows.tick(now: T.time(70))
        #expect(windows.openWindows == 100)
    }
}
