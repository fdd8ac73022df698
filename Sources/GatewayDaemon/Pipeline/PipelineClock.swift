import GatewayCore

/// The time that closes windows and decides `silent` and hold times: the wall clock while readings
/// are live, the readings' own time while a backlog drains.
///
/// After an outage the broker delivers the queued readings of the last hour in a burst. Closing
/// windows by the wall clock would have closed that hour's windows before its readings arrived,
/// every one of them would come in late and revise its window again and again, and every sensor
/// would look silent. So while batches keep arriving with readings older than a window plus its
/// grace, time is the latest reading time seen (never ahead of the wall clock, so a device with a
/// clock in the future cannot close windows early); once readings are recent, or nothing has
/// arrived for `idleAfter`, the wall clock takes over again.
struct PipelineClock {
    /// How far behind the wall clock readings may be and still count as live: window + grace.
    let liveLag: Int64
    /// Without a batch for this long, the wall clock decides, backlog or not.
    let idleAfter: Int64
    private(set) var eventTime: Timestamp?
    private var lastActivity: Timestamp?

    init(window: Duration, grace: Duration, idleAfter: Duration) {
        liveLag = DurationText.milliseconds(of: window + grace)
        self.idleAfter = DurationText.milliseconds(of: idleAfter)
    }

    /// A reading arrived (or was re-read from the buffer at start) at wall time `wall`.
    mutating func observe(_ time: Timestamp, wall: Timestamp) {
        let clamped = min(time, wall)
        if eventTime.map({ clamped > $0 }) ?? true { eventTime = clamped }
        lastActivity = wall
    }

    /// Counts as activity without a reading: start-up, when a backlog is about to arrive.
    mutating func touch(wall: Timestamp) {
        lastActivity = wall
    }

    func now(wall: Timestamp) -> Timestamp {
        guard let eventTime, wall.milliseconds - eventTime.milliseconds > liveLag else { return wall }
        guard let lastActivity, wall.milliseconds - lastActivity.milliseconds < idleAfter else { return wall }
        return eventTime
    }
}
