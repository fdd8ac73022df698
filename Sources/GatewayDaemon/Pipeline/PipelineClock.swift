import GatewayCore

/// The time that closes windows and decides `silent` and hold times: the wall clock while readings
/// are live, else the readings' own time.
///
/// After an outage the broker delivers the queued readings of the last hour in a burst. Closing
/// windows by the wall clock would have closed that hour's windows before its readings arrived,
/// every one of them would come in late and revise its window again and again, and every sensor
/// would look silent. So when the newest reading was behind the wall clock by more than a window
/// plus its grace as it arrived, time is the readings' time:
/// - while batches keep arriving, the latest reading time seen (never ahead of the wall clock, so a
///   device with a clock in the future cannot close windows early);
/// - once nothing has arrived for `idleAfter`, that time run on by the wall-clock time since: the
///   wall clock less the readings' lag.
///
/// Running on, rather than snapping to the wall clock, is what keeps a lull harmless when the
/// readings' time stays behind for good, not just while a backlog drains: sensors that stamp their
/// own readings and a gateway clock an hour ahead of them. Snapped to the wall clock at each lull,
/// every such sensor would look silent, and the windows' watermark would jump an hour ahead and
/// make the sensors' next readings late. When everything goes quiet, time still runs, at the wall
/// clock's pace: windows close and `silent` is raised as they would have been.
struct PipelineClock {
    /// How far behind the wall clock readings may be and still count as live: window + grace.
    let liveLag: Int64
    /// Without a batch for this long, the readings' time runs on by itself.
    let idleAfter: Int64
    private(set) var eventTime: Timestamp?
    /// How far `eventTime` was behind the wall clock when a reading was last seen.
    private var lag: Int64 = 0
    private var lastActivity: Timestamp?

    init(window: Duration, grace: Duration, idleAfter: Duration) {
        liveLag = DurationText.milliseconds(of: window + grace)
        self.idleAfter = DurationText.milliseconds(of: idleAfter)
    }

    /// A reading arrived (or was re-read from the buffer at start) at wall time `wall`.
    mutating func observe(_ time: Timestamp, wall: Timestamp) {
        let clamped = min(time, wall)
        let latest = eventTime.map { max($0, clamped) } ?? clamped
        eventTime = latest
        lag = wall.milliseconds - latest.milliseconds
        lastActivity = wall
    }

    /// Counts as activity without a reading: start-up, when a backlog is about to arrive.
    mutating func touch(wall: Timestamp) {
        lastActivity = wall
    }

    func now(wall: Timestamp) -> Timestamp {
        guard let eventTime, lag > liveLag else { return wall }
        guard let lastActivity, wall.milliseconds - lastActivity.milliseconds >= idleAfter else { return eventTime }
        // Never behind the latest reading, never ahead of the wall clock (which may have gone back).
        return Timestamp(milliseconds: min(wall.milliseconds, max(eventTime.milliseconds, wall.milliseconds - lag)))
    }
}
