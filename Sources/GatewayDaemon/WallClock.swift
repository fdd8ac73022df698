import GatewayCore
import Glibc
import Synchronization

/// Where the daemon reads the time: the system's clock in production, a settable one in tests.
public protocol WallClock: Sendable {
    func now() -> Timestamp
}

/// The daemon's clock: `CLOCK_REALTIME`, except that it never goes backwards (`ForwardWallTime`).
///
/// One for the whole process, as the kernel's clock is: a reload builds a new generation of the
/// gateway, and its stamps must not go back behind those the previous generation issued.
public struct SystemWallClock: WallClock {
    private static let shared = ForwardWallClock(KernelClocks())

    public init() {}

    public func now() -> Timestamp {
        Self.shared.now()
    }
}

/// The two clocks a `ForwardWallClock` reads, in milliseconds.
protocol SystemClocks: Sendable {
    /// The time of day, which NTP, an administrator or a real-time clock may set back or forward.
    func realtime() -> Int64
    /// Runs at the rate of real time from an arbitrary origin and is never set.
    func monotonic() -> Int64
}

/// `CLOCK_REALTIME` and `CLOCK_MONOTONIC`.
struct KernelClocks: SystemClocks {
    func realtime() -> Int64 {
        Self.read(CLOCK_REALTIME)
    }

    func monotonic() -> Int64 {
        Self.read(CLOCK_MONOTONIC)
    }

    private static func read(_ clock: clockid_t) -> Int64 {
        var spec = timespec()
        clock_gettime(clock, &spec)
        return Int64(spec.tv_sec) * 1000 + Int64(spec.tv_nsec) / 1_000_000
    }
}

/// A `WallClock` that follows the system's time of day forward but never goes back.
final class ForwardWallClock: WallClock {
    private let clocks: any SystemClocks
    private let time = Mutex(ForwardWallTime())

    init(_ clocks: any SystemClocks) {
        self.clocks = clocks
    }

    func now() -> Timestamp {
        // Read under the lock: two threads then get their times in the order they were issued.
        time.withLock { time in
            Timestamp(milliseconds: time.now(realtime: clocks.realtime(), monotonic: clocks.monotonic()))
        }
    }
}

/// The time of day, made never to go backwards.
///
/// Readings without a time of their own are stamped with the daemon's clock, and the rules judge a
/// series' readings in time order, skipping one older than the newest they have seen. Were the clock
/// set back an hour, every such stamp would be older than its series' newest for that hour, and the
/// rules blind to it; the windows would take each reading as a late revision.
///
/// Forward, this is the time of day: a step forward counts as time that passed. Set back by D, it
/// runs on from the last time it gave, at nine tenths of the rate of real time (measured on the
/// monotonic clock), so the time of day gains on it a tenth of a second a second and meets it after
/// 10 × D; from there on it is the time of day again. Meanwhile every time it gives is at most D
/// ahead of the time of day, and durations measured in it (holds, `silent`, windows) read a tenth
/// short: slowed, rather than stopped or run backwards. Small steps back, as NTP makes them, are
/// absorbed within ten times their length.
struct ForwardWallTime {
    /// The pace while ahead of the time of day, as a fraction of real time. A compromise: a slower
    /// pace would catch up sooner but bend durations more (a `rate` rule reads 11 % high at 9/10,
    /// twice as high at 1/2).
    static let catchUpPace = (numerator: Int64(9), denominator: Int64(10))

    /// The time last given while following the time of day, and the monotonic clock then.
    private var anchor: (time: Int64, monotonic: Int64)?

    mutating func now(realtime: Int64, monotonic: Int64) -> Int64 {
        if let anchor {
            // Measured from the anchor rather than added up call by call, so that rounding to whole
            // milliseconds does not stop it between calls a millisecond apart.
            let elapsed = max(0, monotonic - anchor.monotonic)
            let slowed = anchor.time + elapsed * Self.catchUpPace.numerator / Self.catchUpPace.denominator
            if realtime < slowed { return slowed }
        }
        anchor = (realtime, monotonic)
        return realtime
    }
}
