/// Decides when, in real time since the run began, the next message may be published.
///
/// Two limits, the later one wins:
/// - the simulated clock: a message about simulated time `t` goes no earlier than
///   `(t − start) / speed` (speed 1: real time; 3600: a day in 24 s; 0: no such limit);
/// - the rate: at most `rate` messages per second on average (0: no such limit). Falling behind
///   (a slow broker, a pause) is made up for with a burst of at most `catchUp` worth of messages,
///   not with everything that was missed.
///
/// When the rate is the tighter limit, simulated time falls behind the wall clock: payloads still
/// carry their simulated times, they just arrive later.
public struct Pacer: Sendable {
    public let start: SimulatedTime
    public let speed: Double
    public let rate: Double
    public let catchUp: Duration
    private var nextSlot: Duration = .zero

    public init(start: SimulatedTime, speed: Double, rate: Double, catchUp: Duration = .milliseconds(50)) {
        self.start = start
        self.speed = speed
        self.rate = rate
        self.catchUp = catchUp
    }

    /// The earliest real time (since the run began) at which a message about `time` may go.
    public func releaseTime(of time: SimulatedTime) -> Duration {
        var release = rate > 0 ? nextSlot : .zero
        if speed > 0 {
            let simulated = Double(max(0, time.epochMilliseconds - start.epochMilliseconds)) / speed
            release = max(release, .milliseconds(1) * simulated)
        }
        return release
    }

    /// Records that a message was sent at `now` (real time since the run began).
    public mutating func didSend(at now: Duration) {
        guard rate > 0 else { return }
        let spacing = Duration.seconds(1) / rate
        nextSlot = max(nextSlot, now - catchUp) + spacing
    }
}
