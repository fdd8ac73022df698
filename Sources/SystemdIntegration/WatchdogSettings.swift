import Glibc

/// Whether systemd expects `WATCHDOG=1` pings from this process, and how often: `sd_watchdog_enabled(3)`.
///
/// systemd sets `WATCHDOG_USEC` to the unit's `WatchdogSec=` in microseconds, and `WATCHDOG_PID` to
/// the process it means. When `WATCHDOG_PID` is set and names another process the variables were
/// inherited, not meant for us, and there is no watchdog. Pings go out at half the timeout, the
/// interval systemd recommends, so one late ping does not get the service killed.
public struct WatchdogSettings: Sendable, Hashable {
    /// The unit's `WatchdogSec=`: without a ping for this long, systemd kills and restarts the service.
    public var timeout: Duration

    public init(timeout: Duration) {
        self.timeout = timeout
    }

    /// How often to ping: half the timeout.
    public var pingInterval: Duration { timeout / 2 }

    /// The settings in `environment`, or nil when systemd expects no pings from `processID`.
    public init?(environment: [String: String] = ProcessEnvironment.variables, processID: Int32 = getpid()) {
        guard let text = environment["WATCHDOG_USEC"], let microseconds = Int64(text), microseconds > 0 else {
            return nil
        }
        if let owner = environment["WATCHDOG_PID"], !owner.isEmpty {
            guard let pid = Int32(owner), pid == processID else { return nil }
        }
        timeout = .microseconds(microseconds)
    }
}
