import GatewayCore
import Glibc

/// Where the daemon reads the time: the wall clock in production, a settable one in tests.
public protocol WallClock: Sendable {
    func now() -> Timestamp
}

/// `CLOCK_REALTIME`, in milliseconds.
public struct SystemWallClock: WallClock {
    public init() {}

    public func now() -> Timestamp {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Timestamp(milliseconds: Int64(spec.tv_sec) * 1000 + Int64(spec.tv_nsec) / 1_000_000)
    }
}
