import Logging
import Synchronization

/// Lets at most `burst` lines of one kind through per `interval`, and says how many it held back,
/// so a sensor spamming bad payloads cannot flood the journal or wear the SD card.
final class RateLimitedLog: Sendable {
    private struct Window {
        var started: ContinuousClock.Instant
        var logged = 0
        var suppressed = 0
    }

    private let burst: Int
    private let interval: Duration
    private let windows = Mutex<[String: Window]>([:])

    init(burst: Int = 5, interval: Duration = .seconds(60)) {
        self.burst = burst
        self.interval = interval
    }

    /// Logs through `logger` unless `key` already used its burst in this interval.
    func log(_ logger: Logger, _ level: Logger.Level, key: String, _ message: @autoclosure () -> Logger.Message, metadata: Logger.Metadata) {
        let now = ContinuousClock.now
        let (allowed, heldBack): (Bool, Int) = windows.withLock { windows in
            var window = windows[key] ?? Window(started: now)
            var heldBack = 0
            if now - window.started >= interval {
                heldBack = window.suppressed
                window = Window(started: now)
            }
            let allowed = window.logged < burst
            if allowed { window.logged += 1 } else { window.suppressed += 1 }
            // Bounded: one entry per kind of problem, and kinds are a small fixed set.
            windows[key] = window
            return (allowed, heldBack)
        }
        if heldBack > 0 {
            logger.log(level: level, "\(heldBack) similar messages were not logged", metadata: ["log.key": "\(key)"])
        }
        if allowed {
            logger.log(level: level, message(), metadata: metadata)
        }
    }
}
