@testable import GatewayDaemon
import Testing

@Suite("The daemon's clock, which never goes back")
struct ForwardWallClockTests {
    let hour: Int64 = 3_600_000
    let day: Int64 = 1_795_694_400_000

    @Test("forward, it is the time of day, a step forward included")
    func forward() {
        var time = ForwardWallTime()
        #expect(time.now(realtime: day, monotonic: 0) == day)
        #expect(time.now(realtime: day + 1_000, monotonic: 1_000) == day + 1_000)
        #expect(time.now(realtime: day + 2_000 + hour, monotonic: 2_000) == day + 2_000 + hour)
    }

    @Test("set back an hour, it runs on from where it was at nine tenths of real time, and is the time of day again 10 hours later")
    func setBack() {
        var time = ForwardWallTime()
        #expect(time.now(realtime: day, monotonic: 0) == day)
        #expect(time.now(realtime: day - hour + 1_000, monotonic: 1_000) == day + 900)
        #expect(time.now(realtime: day - hour + 60_000, monotonic: 60_000) == day + 54_000)
        #expect(time.now(realtime: day + 9 * hour - 1_000, monotonic: 10 * hour - 1_000) == day + 9 * hour - 900)
        #expect(time.now(realtime: day + 9 * hour, monotonic: 10 * hour) == day + 9 * hour)
        #expect(time.now(realtime: day + 9 * hour + 1_000, monotonic: 10 * hour + 1_000) == day + 9 * hour + 1_000)
    }

    @Test("read every millisecond, with the two clocks' milliseconds out of phase, it follows the time of day exactly")
    func everyMillisecond() {
        var time = ForwardWallTime()
        for tick: Int64 in 0..<20_000 {
            // The time of day's millisecond turns just after the monotonic clock's: one behind, at times.
            let realtime = day + tick - (tick % 3 == 1 ? 1 : 0)
            #expect(time.now(realtime: realtime, monotonic: tick) == realtime)
        }
    }

    @Test("a small step back, as NTP makes, is absorbed within ten times its length, and the time never goes back meanwhile")
    func smallStep() {
        var time = ForwardWallTime()
        var last = time.now(realtime: day, monotonic: 0)
        var caughtUpAt: Int64?
        for tick: Int64 in 1...2_000 {
            let realtime = day + tick - 50
            let now = time.now(realtime: realtime, monotonic: tick)
            #expect(now >= last && now >= realtime)
            if now == realtime && caughtUpAt == nil { caughtUpAt = tick }
            last = now
        }
        #expect(caughtUpAt.map { $0 > 50 && $0 <= 500 } == true, "\(caughtUpAt ?? -1)")
    }

    @Test("a step forward while catching up is taken whole; one back again starts over from there")
    func stepsBothWays() {
        var time = ForwardWallTime()
        _ = time.now(realtime: day, monotonic: 0)
        #expect(time.now(realtime: day - hour + 10_000, monotonic: 10_000) == day + 9_000)
        #expect(time.now(realtime: day + hour + 20_000, monotonic: 20_000) == day + hour + 20_000)
        #expect(time.now(realtime: day + 30_000, monotonic: 30_000) == day + hour + 29_000)
    }
}
