// Contract checked here: a source that delivered regularly and then stays silent while connected
// is resubscribed once, then reconnected at growing intervals; any delivery starts it over; a
// disconnected source or one with too little history is left alone.
import Testing
@testable import GatewayDaemon

@Suite("Connected but silent")
struct SilenceWatchTests {
    /// A source that delivered every `interval` ms, `count` times, the last at `count * interval`.
    func watch(interval: Int64 = 1_000, count: Int = 10, factor: Int = 5, minimum: Int64 = 2_000) -> SilenceWatch {
        var watch = SilenceWatch(factor: factor, minimumMilliseconds: minimum)
        watch.connectionChanged(up: true)
        for step in 1...count {
            watch.delivered(at: Int64(step) * interval)
        }
        return watch
    }

    @Test("resubscribe at factor × the usual interval, then reconnect at 2×, 4×, …")
    func escalates() {
        var watch = watch()
        #expect(watch.threshold == 5_000)
        #expect(watch.check(at: 14_999) == nil)
        #expect(watch.check(at: 15_000) == .resubscribe(silentFor: 5_000, usualInterval: 1_000))
        #expect(watch.check(at: 15_500) == nil, "each action once")
        #expect(watch.check(at: 20_000) == .reconnect(silentFor: 10_000, usualInterval: 1_000))
        #expect(watch.check(at: 29_999) == nil)
        #expect(watch.check(at: 30_000) == .reconnect(silentFor: 20_000, usualInterval: 1_000))
    }

    @Test("quiet sources back off to one reconnect every 64 thresholds")
    func backsOff() {
        var watch = watch()
        var actions: [Int64] = []
        for now in stride(from: Int64(10_000), through: 10_000 + 64 * 5_000 * 3, by: 1_000) where watch.check(at: now) != nil {
            actions.append(now - 10_000)
        }
        #expect(actions == [5_000, 10_000, 20_000, 40_000, 80_000, 160_000, 320_000, 640_000, 960_000])
    }

    @Test("a delivery starts over; the minimum bounds a chatty source")
    func deliveryResets() {
        var watch = watch(interval: 10, count: 50, minimum: 2_000)
        #expect(watch.threshold == 2_000)
        #expect(watch.check(at: 2_500) == .resubscribe(silentFor: 2_000, usualInterval: 10))
        watch.delivered(at: 2_600)
        #expect(watch.check(at: 4_599) == nil)
        #expect(watch.check(at: 4_600).map { if case .resubscribe = $0 { true } else { false } } == true)
    }

    @Test("nothing while disconnected, nor before the usual interval is known")
    func leftAlone() {
        var disconnected = watch()
        disconnected.connectionChanged(up: false)
        #expect(disconnected.check(at: 1_000_000) == nil)
        var young = watch(count: SilenceWatch.samplesNeeded)
        #expect(young.threshold == nil)
        #expect(young.check(at: 1_000_000) == nil)
    }
}
