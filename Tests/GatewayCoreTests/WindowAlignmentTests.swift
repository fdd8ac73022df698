import Testing

@testable import GatewayCore

@Suite("Window alignment")
struct WindowAlignmentTests {
    typealias T = WindowTest

    static let aligned: [(window: Int64, time: String, start: String)] = [
        (60, "2026-11-26T13:59:42.123Z", "2026-11-26T13:59:00.000Z"),
        (900, "2026-11-26T13:59:42.123Z", "2026-11-26T13:45:00.000Z"),
        (3_600, "2026-11-26T13:59:42.123Z", "2026-11-26T13:00:00.000Z"),
        (86_400, "2026-11-26T13:59:42.123Z", "2026-11-26T00:00:00.000Z"),
        (86_400, "2026-11-26T00:00:00.000Z", "2026-11-26T00:00:00.000Z"),
        (60, "1969-12-31T23:59:59.999Z", "1969-12-31T23:59:00.000Z"),
        (900, "1950-06-01T10:07:30.000Z", "1950-06-01T10:00:00.000Z"),
        (86_400, "1969-07-20T20:17:40.000Z", "1969-07-20T00:00:00.000Z"),
        (1, "2026-11-26T13:59:42.999Z", "2026-11-26T13:59:42.000Z"),
    ]

    @Test("windows of 1m, 15m, 1h and 1d start on the clock, before 1970 too", arguments: aligned)
    func alignsToTheClock(window: Int64, time: String, start: String) throws {
        let windows = WindowAggregator(window: .seconds(window), grace: .zero)
        let time = try #require(Timestamp(rfc3339: time))
        #expect(windows.windowStart(of: time).rfc3339 == start)
    }

    @Test("a reading exactly on a boundary belongs to the window that starts there")
    func boundary() {
        var windows = WindowAggregator(window: .seconds(60), grace: .seconds(10))
        var actions = windows.add(T.reading(at: -1, 3), now: T.time(-1))
        actions += windows.add(T.reading(at: 0, 4), now: T.time(0))
        actions += windows.add(T.reading(at: 60, 2), now: T.time(60))
        actions += windows.closeAll()
        let aggregates = T.emitted(actions)
        #expect(aggregates.map(\.start) == [T.time(-60), T.time(0), T.time(60)])
        #expect(aggregates.map(\.last) == [3, 4, 2])
        #expect(aggregates.map(\.count) == [1, 1, 1])
    }

    @Test("a time between boundaries in closedBefore counts the window it falls in as closed")
    func unalignedWatermark() {
        var windows = WindowAggregator(window: .seconds(60), grace: .seconds(10), closedBefore: T.time(90))
        #expect(windows.closedBefore == T.time(120))
        #expect(T.late(windows.add(T.reading(at: 100, 1), now: T.time(100))).count == 1)
        #expect(windows.add(T.reading(at: 120, 1), now: T.time(120)) == [])
    }

    @Test("times far outside the calendar are clamped instead of trapping")
    func extremeTimes() {
        var windows = WindowAggregator(window: .seconds(86_400), grace: .seconds(3_600))
        let far = Reading(sensor: "s", metric: "m", time: Timestamp(milliseconds: .max), value: 1)
        let before = Reading(sensor: "s", metric: "m", time: Timestamp(milliseconds: .min), value: 1)
        _ = windows.add(far, now: Timestamp(milliseconds: .min))
        _ = windows.add(before, now: Timestamp(milliseconds: .min))
        #expect(windows.openWindows == 2)
        #expect(T.emitted(windows.tick(now: Timestamp(milliseconds: .max))).count == 2)
    }
}
