import Logging
import Synchronization

/// Feeds systemd's watchdog only while the pipeline makes progress.
///
/// A bare timer that sends `WATCHDOG=1` proves only that one task of the process still runs; the
/// ingest loop could be wedged inside libmosquitto or the store writer stuck on a lock and systemd
/// would never know. So each component that must keep moving registers a ``Heartbeat`` and beats
/// it (see there for beat, idle and retire), and every ``WatchdogSettings/pingInterval`` (half of
/// `WatchdogSec=`) the watchdog decides:
///
/// - every heartbeat beat within ``tolerance`` (by default the whole `WatchdogSec=`), or is idle,
///   or retired: send `WATCHDOG=1`;
/// - any heartbeat is older than that: send nothing and log which ones stalled. If they do not
///   move again, systemd's timer runs out, it kills the service with SIGABRT and `Restart=`
///   starts it again.
///
/// The decision is the pure ``verdict(_:now:tolerance:)``; ``checkAndNotify(now:)`` applies it to
/// the registered heartbeats at a given instant, and ``run()`` calls that on a timer until its
/// task is cancelled. When systemd expects no pings (`settings` is nil) heartbeats still work,
/// nothing is sent, and ``run()`` just waits to be cancelled, so the daemon wires it up the same
/// way everywhere.
///
/// ```swift
/// let watchdog = ProgressWatchdog(notifier: notifier, logger: logger)
/// let ingestBeat = watchdog.heartbeat("ingest")  // the loop thread calls ingestBeat.beat() each turn
/// let storeBeat = watchdog.heartbeat("store")    // the writer: idle() before waiting, beat() after a commit
/// group.addTask { await watchdog.run() }
/// ```
///
/// `run()` matches swift-service-lifecycle's `Service` requirement, so the daemon can add the
/// watchdog to its `ServiceGroup` with an empty conformance.
public final class ProgressWatchdog<WatchdogClock: Clock>: Sendable where WatchdogClock.Duration == Duration {
    /// Whether and how often systemd expects pings; nil: it does not.
    public let settings: WatchdogSettings?
    /// How long a heartbeat may go without beating before it counts as stalled.
    public let tolerance: Duration
    private let notifier: ServiceNotifier
    private let logger: Logger
    private let clock: WatchdogClock
    private let origin: WatchdogClock.Instant
    private let state = Mutex(State())

    private struct State {
        var heartbeats: [Heartbeat] = []
        // Remembered so that a stall and a failing socket are each logged when they start and
        // end, not on every check.
        var stalled: [String] = []
        var notifyFailing = false
    }

    /// A watchdog that pings through `notifier` as `settings` says; `tolerance` defaults to
    /// the watchdog's timeout, i.e. two ping intervals.
    public init(
        settings: WatchdogSettings?, notifier: ServiceNotifier, logger: Logger, clock: WatchdogClock,
        tolerance: Duration? = nil
    ) {
        self.settings = settings
        self.tolerance = tolerance ?? settings?.timeout ?? .seconds(30)
        self.notifier = notifier
        self.logger = logger
        self.clock = clock
        origin = clock.now
    }

    /// A new heartbeat, counted from now on; `name` appears in log lines when it stalls.
    public func heartbeat(_ name: String) -> Heartbeat {
        let heartbeat = Heartbeat(name: name) { [clock, origin] in origin.duration(to: clock.now) }
        state.withLock { $0.heartbeats.append(heartbeat) }
        return heartbeat
    }

    /// Judges the heartbeats at `now` and, if they are healthy and systemd listens, sends `WATCHDOG=1`.
    @discardableResult
    public func checkAndNotify(now: WatchdogClock.Instant) -> WatchdogVerdict {
        let elapsed = origin.duration(to: now)
        let heartbeats = state.withLock { $0.heartbeats }
        let verdict = Self.verdict(heartbeats.map { ($0.name, $0.state) }, now: elapsed, tolerance: tolerance)
        let stalled: [String]
        switch verdict {
        case .healthy: stalled = []
        case .stalled(let names): stalled = names
        }
        let previouslyStalled = state.withLock { state in
            defer { state.stalled = stalled }
            return state.stalled
        }
        if stalled != previouslyStalled {
            if stalled.isEmpty {
                logger.notice("watchdog: the pipeline moves again")
            } else {
                logger.warning(
                    "watchdog: no progress, pings withheld; systemd restarts the service unless it recovers",
                    metadata: ["watchdog.stalled": "\(stalled.joined(separator: ","))", "watchdog.tolerance": "\(tolerance)"]
                )
            }
        }
        if verdict == .healthy, settings != nil {
            ping()
        }
        return verdict
    }

    private func ping() {
        do {
            try notifier.notify(.watchdog)
            let recovered = state.withLock { state in
                defer { state.notifyFailing = false }
                return state.notifyFailing
            }
            if recovered { logger.notice("watchdog: pings reach systemd again") }
        } catch {
            let first = state.withLock { state in
                defer { state.notifyFailing = true }
                return !state.notifyFailing
            }
            if first { logger.warning("watchdog: cannot ping systemd", metadata: ["error": "\(error)"]) }
        }
    }

    /// Checks and pings every ping interval until the task is cancelled; without watchdog settings,
    /// only waits to be cancelled.
    public func run() async {
        guard let settings else {
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(3600))
            }
            return
        }
        while !Task.isCancelled {
            checkAndNotify(now: clock.now)
            do {
                try await clock.sleep(for: settings.pingInterval)
            } catch {
                return
            }
        }
    }

    /// The pure decision: healthy when every heartbeat is idle, retired, or beat no longer than
    /// `tolerance` before `now`; otherwise the names of the stalled ones, sorted.
    public static func verdict(
        _ heartbeats: [(name: String, state: HeartbeatState)], now: Duration, tolerance: Duration
    ) -> WatchdogVerdict {
        let stalled = heartbeats.compactMap { heartbeat -> String? in
            guard case .beat(let at) = heartbeat.state, now - at > tolerance else { return nil }
            return heartbeat.name
        }
        return stalled.isEmpty ? .healthy : .stalled(stalled.sorted())
    }
}

extension ProgressWatchdog where WatchdogClock == ContinuousClock {
    /// The daemon's watchdog: settings from `environment`, the continuous clock.
    public convenience init(
        environment: [String: String] = ProcessEnvironment.variables, notifier: ServiceNotifier, logger: Logger
    ) {
        self.init(settings: WatchdogSettings(environment: environment), notifier: notifier, logger: logger, clock: ContinuousClock())
    }
}

/// What ``ProgressWatchdog`` concluded from the heartbeats.
public enum WatchdogVerdict: Sendable, Hashable {
    case healthy
    /// The names of the heartbeats that went quiet for longer than the tolerance, sorted.
    case stalled([String])
}
