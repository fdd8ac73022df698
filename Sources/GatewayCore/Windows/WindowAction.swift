/// What the window aggregator asks its service to do.
public enum WindowAction: Sendable, Hashable {
    /// A window closed: store its aggregate for the uplink and send it (`rev` 0).
    case emit(Aggregate)
    /// A reading for a window already closed. It is not lost: count it, then load the stored
    /// aggregate of (sensor, metric, windowStart) and pass it to `WindowAggregator.revision(of:adding:)`,
    /// which merges the reading and raises `rev` (or starts an aggregate at `rev` 0 when that series
    /// had no reading in the window); store and send the result.
    case late(Reading, windowStart: Timestamp)
}
