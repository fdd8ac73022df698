import Foundation
import Testing

@testable import GatewayCore

/// A real IANA zone through Foundation, as the daemon provides one; the core itself reads no tzdata.
struct FoundationZoneForTests: LocalTimeZone {
    let zone: TimeZone

    init(_ identifier: String) throws {
        zone = try #require(TimeZone(identifier: identifier))
    }

    func minuteOfDay(at time: Timestamp) -> Int {
        let offset = zone.secondsFromGMT(for: Date(timeIntervalSince1970: time.seconds))
        return FixedOffsetZone(secondsEast: offset).minuteOfDay(at: time)
    }
}

@Suite("Rules: during")
struct RuleDuringTests: RuleTesting {
    @Test("outside `during` nothing raises; inside, the same reading does")
    func onlyInside() {
        var bench = RuleBench(rule(.above, threshold: 2, during: "01:00-05:00"))
        #expect(bench.read(3, at: clock(0, 30)).isEmpty)
        #expect(bench.read(1, at: clock(0, 40)).isEmpty)
        #expect(bench.read(3, at: clock(1, 0)).summary == ["raise r fes/water/meter-1 @60"], "the start is inside")
    }

    @Test("the end of the range is outside it")
    func endExcluded() {
        var bench = RuleBench(rule(.above, threshold: 2, during: "01:00-05:00"))
        #expect(bench.read(3, at: clock(5, 0)).isEmpty)
    }

    @Test("a range across midnight covers the late evening and the early morning")
    func acrossMidnight() {
        var bench = RuleBench(rule(.above, threshold: 2, during: "23:00-02:00"))
        let sensors = ["a", "b", "c", "d", "e"]
        let times = [clock(22, 59), clock(23, 0), minute(24 * 60 + 30), minute(24 * 60 + 119), minute(24 * 60 + 120)]
        let raised = zip(sensors, times).flatMap { sensor, time in bench.read(3, at: time, sensor: sensor) }
        #expect(raised.raises.map(\.sensor) == ["b", "c", "d"])
    }

    @Test("a condition that began before the range raises on the clock when the range begins")
    func raisesWhenRangeBegins() {
        var bench = RuleBench(rule(.above, threshold: 2, during: "01:00-05:00"))
        bench.read(3, at: clock(0, 50))
        #expect(bench.tick(minutes: 50, through: 59).isEmpty)
        #expect(bench.tick(minutes: 60, through: 61).summary == ["raise r fes/water/meter-1 @60"])
    }

    @Test("a hold that ran out before the range raises at its start, not before")
    func holdOutsideRange() {
        var bench = RuleBench(rule(.above, threshold: 2, for: .seconds(15 * 60), during: "01:00-05:00"))
        bench.read([3, 3, 3], from: 20, every: 10)
        #expect(bench.tick(minutes: 20, through: 59).isEmpty, "held since 00:20, but outside the range")
        #expect(bench.read(3, at: clock(0, 55)).isEmpty, "a reading outside the range does not raise either")
        #expect(bench.tick(clock(1, 0)).summary == ["raise r fes/water/meter-1 @60"])
    }

    @Test("a hold broken before the range begins never raises")
    func brokenBeforeRange() {
        var bench = RuleBench(rule(.above, threshold: 2, for: .seconds(15 * 60), during: "01:00-05:00"))
        bench.read([3, 3, 1], from: 20, every: 10)
        #expect(bench.tick(minutes: 40, through: 120).isEmpty)
    }

    @Test("an alert raised inside the range clears outside it")
    func clearsOutside() {
        var bench = RuleBench(rule(.above, threshold: 2, during: "01:00-05:00"))
        #expect(bench.read(3, at: clock(4, 50)).raises.count == 1)
        #expect(bench.read(3, at: clock(5, 10)).isEmpty)
        #expect(bench.read(1, at: clock(6, 0)).clears.count == 1)
    }

    @Test("silent and flatline raise only inside the range")
    func clockKindsInsideRange() {
        var bench = RuleBench(
            rule("quiet", .silent, for: .seconds(10 * 60), during: "01:00-05:00"),
            rule("stuck", .flatline, metric: "level", for: .seconds(10 * 60), during: "01:00-05:00"))
        bench.read(1, at: clock(0, 0))
        bench.read([4, 4], from: 0, every: 1, metric: "level")
        #expect(bench.tick(minutes: 1, through: 59).isEmpty)
        #expect(bench.tick(clock(1, 0)).summary == ["raise quiet fes/water/meter-1 @60", "raise stuck fes/water/meter-1 @60"])
    }

    @Test("the zone's offset decides what local time a reading has")
    func fixedOffset() {
        // 23:30 UTC is 01:30 in UTC+02:00.
        var bench = RuleBench(rule(.above, threshold: 2, during: "01:00-05:00"), zone: FixedOffsetZone(secondsEast: 7200))
        #expect(bench.read(3, at: clock(23, 30)).raises.count == 1)
        #expect(FixedOffsetZone(secondsEast: -5 * 3600).minuteOfDay(at: clock(2, 0)) == 21 * 60)
        #expect(FixedOffsetZone.utc.minuteOfDay(at: Timestamp(milliseconds: -1)) == 1439)
    }

    // zdump -v Africa/Cairo: 2025-04-24 22:00:00 UTC = Fri Apr 25 01:00 EEST (from 00:00 EET), and
    // 2025-10-30 21:00:00 UTC = Thu Oct 30 23:00 EET (from 24:00 EEST).
    static let cairoSpringForward = Timestamp(milliseconds: 1_745_532_000_000)
    static let cairoFallBack = Timestamp(milliseconds: 1_761_858_000_000)

    static func utc(_ base: Timestamp, plusMinutes minutes: Int) -> Timestamp {
        Timestamp(milliseconds: base.milliseconds + Int64(minutes) * 60_000)
    }

    @Test("in Cairo the night range begins an hour early in UTC on the night clocks go forward")
    func cairoSpringForward() throws {
        let cairo = try FoundationZoneForTests("Africa/Cairo")
        let start = Self.cairoSpringForward
        #expect(cairo.minuteOfDay(at: Self.utc(start, plusMinutes: -1)) == 23 * 60 + 59)
        #expect(cairo.minuteOfDay(at: start) == 60, "00:00 EET becomes 01:00 EEST")

        // Above since 23:50 local (21:50 UTC); the clock ticks each minute across the change.
        var bench = RuleBench(rule(.above, threshold: 2, during: "01:00-05:00"), zone: cairo)
        bench.read(3, at: Self.utc(start, plusMinutes: -10))
        let ticks = (-9...5).flatMap { bench.tick(Self.utc(start, plusMinutes: $0)) }
        #expect(ticks.raises.map(\.at) == [start], "raised at 22:00 UTC, the first minute of 01:00 local")

        // The range ends at 05:00 EEST, 02:00 UTC: with the winter offset it would run to 03:00 UTC.
        var late = RuleBench(rule(.above, threshold: 2, during: "01:00-05:00"), zone: cairo)
        #expect(late.read(3, at: Self.utc(start, plusMinutes: 3 * 60 + 59)).raises.count == 1, "04:59 local")
        #expect(late.read(3, at: Self.utc(start, plusMinutes: 4 * 60), sensor: "other").isEmpty, "05:00 local")
    }

    @Test("in Cairo the night range begins an hour late in UTC on the night clocks go back")
    func cairoFallBack() throws {
        let cairo = try FoundationZoneForTests("Africa/Cairo")
        let change = Self.cairoFallBack
        #expect(cairo.minuteOfDay(at: Self.utc(change, plusMinutes: -1)) == 23 * 60 + 59)
        #expect(cairo.minuteOfDay(at: change) == 23 * 60, "24:00 EEST becomes 23:00 EET")

        // 01:00 EET on Oct 31 is 23:00 UTC; with the summer offset it would have been 22:00 UTC.
        var bench = RuleBench(rule(.above, threshold: 2, during: "01:00-05:00"), zone: cairo)
        bench.read(3, at: Self.utc(change, plusMinutes: 30))
        let ticks = (31...130).flatMap { bench.tick(Self.utc(change, plusMinutes: $0)) }
        #expect(ticks.raises.map(\.at) == [Self.utc(change, plusMinutes: 120)])
    }

    @Test("Tunis keeps one offset all year, so the same night has no jump")
    func tunisHasNoDST() throws {
        let tunis = try FoundationZoneForTests("Africa/Tunis")
        let start = Self.cairoSpringForward
        #expect(tunis.minuteOfDay(at: start) == 23 * 60, "22:00 UTC is 23:00 CET")
        var bench = RuleBench(rule(.above, threshold: 2, during: "01:00-05:00"), zone: tunis)
        bench.read(3, at: start)
        let ticks = (1...180).flatMap { bench.tick(Self.utc(start, plusMinutes: $0)) }
        #expect(ticks.raises.map(\.at) == [Self.utc(start, plusMinutes: 120)])
    }
}
