import Synchronization

/// One component's sign of life, read by the ``ProgressWatchdog``.
///
/// The owner calls ``beat()`` whenever it makes progress and on every turn of its loop, also a
/// turn in which nothing arrived: a loop that polls with a timeout beats each time the timeout
/// passes. An owner that blocks waiting for work, with none pending, calls ``idle()`` first and
/// ``beat()`` once work arrives: it is healthy for as long as it waits. ``retire()`` says the
/// component ended on purpose (shutdown), so it no longer holds the watchdog back.
///
/// Each call is one atomic store of a reading of the watchdog's clock, cheap enough for a hot loop.
public final class Heartbeat: Sendable {
    /// Names the component in the watchdog's log lines, e.g. `ingest` or `store`.
    public let name: String
    private let elapsed: @Sendable () -> Duration
    // Nanoseconds since the watchdog's origin of the last beat, or one of the two marks below.
    private let lastBeat: Atomic<Int64>
    private static let idleMark = Int64.max
    private static let retiredMark = Int64.min

    init(name: String, elapsed: @escaping @Sendable () -> Duration) {
        self.name = name
        self.elapsed = elapsed
        // A new heartbeat counts as just beaten: the component gets a full tolerance to start.
        lastBeat = Atomic(Self.nanoseconds(elapsed()))
    }

    /// Progress, or a turn of the loop that found nothing to do.
    public func beat() {
        lastBeat.store(Self.nanoseconds(elapsed()), ordering: .relaxed)
    }

    /// Waiting for work with none pending: healthy until the next ``beat()``.
    public func idle() {
        lastBeat.store(Self.idleMark, ordering: .relaxed)
    }

    /// Ended on purpose: ignored from now on, unless it beats again.
    public func retire() {
        lastBeat.store(Self.retiredMark, ordering: .relaxed)
    }

    var state: HeartbeatState {
        switch lastBeat.load(ordering: .relaxed) {
        case Self.idleMark: .idle
        case Self.retiredMark: .retired
        case let nanoseconds: .beat(at: .nanoseconds(nanoseconds))
        }
    }

    private static func nanoseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}

/// What a ``Heartbeat`` last said; times count from the watchdog's origin.
public enum HeartbeatState: Sendable, Hashable {
    case beat(at: Duration)
    case idle
    case retired
}
