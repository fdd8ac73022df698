/// The clock-aligned boundaries that every series shares: window starts are whole multiples of the
/// window length since the epoch, so with a length that divides a day, each UTC midnight starts a
/// window and every gateway's windows line up.
///
/// All arithmetic is on whole milliseconds. Reading times are clamped to the range RFC 3339 can
/// write (years 0001 to 9999) and clocks to two days beyond it, where nothing below can overflow:
/// ingest never lets such a time through, and clamping keeps the functions total instead of
/// trapping on a device's mistake.
struct WindowGrid: Sendable, Hashable {
    /// The window length in milliseconds, from one second to one day.
    let length: Int64
    /// How long after its end a window still takes readings, in milliseconds, at most one day.
    let grace: Int64

    init(window: Duration, grace: Duration) {
        let length = DurationText.milliseconds(of: window)
        precondition(
            length >= 1_000 && length % 1_000 == 0 && length <= Timestamp.millisecondsPerDay,
            "a window is a whole number of seconds, from 1s to 24h (the uplink's window_s is an integer)")
        self.length = length
        self.grace = min(max(DurationText.milliseconds(of: grace), 0), Timestamp.millisecondsPerDay)
    }

    var windowSeconds: Int { Int(length / 1_000) }

    /// The start of the window that holds a reading at `time`: rounded down, also before 1970, so a
    /// time exactly on a boundary belongs to the window that starts there.
    func start(of time: Int64) -> Int64 {
        alignedDown(min(max(time, Timestamp.earliest.milliseconds), Timestamp.latest.milliseconds))
    }

    /// When the window starting at `start` closes: its end plus the grace.
    func closeTime(ofWindowStartingAt start: Int64) -> Int64 {
        start + length + grace
    }

    /// The start of the first window that is not yet due at `now`: every window starting before it
    /// has `end + grace <= now`.
    func firstStartNotDue(at now: Int64) -> Int64 {
        alignedDown(clampedClock(now) - length - grace) + length
    }

    /// The first boundary at or after `time`.
    func boundary(atOrAfter time: Int64) -> Int64 {
        let time = clampedClock(time)
        let start = alignedDown(time)
        return start == time ? start : start + length
    }

    /// A start at or before every window a reading can fall in: the watermark of an aggregator
    /// that has closed nothing yet.
    var beforeEveryWindow: Int64 {
        alignedDown(Timestamp.earliest.milliseconds)
    }

    /// Two days beyond the RFC 3339 range: the window and grace (each at most a day) of any reading
    /// fit inside, so a clock at either end closes, or keeps open, every window.
    func clampedClock(_ time: Int64) -> Int64 {
        let margin = 2 * Timestamp.millisecondsPerDay
        return min(max(time, Timestamp.earliest.milliseconds - margin), Timestamp.latest.milliseconds + margin)
    }

    private func alignedDown(_ time: Int64) -> Int64 {
        time.floorDivided(by: length) * length
    }
}
