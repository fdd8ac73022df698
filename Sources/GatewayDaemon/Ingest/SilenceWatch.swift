import GatewayCore
import Synchronization

/// Notices a source that stays connected but stops delivering ("connected but silent": a broker
/// that lost our subscription, a stuck bridge), and says what to do about it.
///
/// It learns the source's usual interval between deliveries (a moving average of the gaps). Once
/// nothing has arrived for `factor` times that interval, and at least `minimum`, while connected:
/// first resubscribe; then, at twice that silence, reconnect; then reconnect again at 4×, 8×, …
/// 64× the threshold, and every 64× after that, so sensors that are truly quiet (a night, a
/// festival) cost one reconnect an hour or so rather than a storm. Any delivery starts it over.
///
/// A value type over plain millisecond times, so tests drive it with any clock.
struct SilenceWatch: Sendable {
    enum Action: Equatable, Sendable {
        case resubscribe(silentFor: Int64, usualInterval: Int64)
        case reconnect(silentFor: Int64, usualInterval: Int64)
    }

    let factor: Int
    let minimum: Int64
    /// The moving average of the gaps between deliveries, once there were enough to trust it.
    private(set) var usualInterval: Double?
    private var gaps = 0
    private var lastDelivery: Int64?
    private var connected = false
    /// Actions taken since the last delivery.
    private var actions = 0

    /// Gaps averaged before the interval counts as known.
    static let samplesNeeded = 5

    init(factor: Int, minimumMilliseconds: Int64) {
        self.factor = factor
        self.minimum = minimumMilliseconds
    }

    mutating func delivered(at now: Int64) {
        if let last = lastDelivery, now > last {
            let gap = Double(now - last)
            usualInterval = usualInterval.map { 0.9 * $0 + 0.1 * gap } ?? gap
            gaps += 1
        }
        lastDelivery = now
        actions = 0
    }

    mutating func connectionChanged(up: Bool) {
        connected = up
    }

    /// The silence after which the first action is due, once the usual interval is known.
    var threshold: Int64? {
        guard gaps >= Self.samplesNeeded, let usualInterval else { return nil }
        return max(minimum, Int64(usualInterval * Double(factor)))
    }

    /// The action due at `now`, if any; each is returned once.
    mutating func check(at now: Int64) -> Action? {
        guard connected, let threshold, let last = lastDelivery, let usual = usualInterval else { return nil }
        let silentFor = now - last
        let due = actions <= 6 ? threshold << actions : (threshold << 6) * Int64(actions - 5)
        guard silentFor >= due else { return nil }
        actions += 1
        return actions == 1
            ? .resubscribe(silentFor: silentFor, usualInterval: Int64(usual))
            : .reconnect(silentFor: silentFor, usualInterval: Int64(usual))
    }
}

/// A `SilenceWatch` shared by a source's loop thread (deliveries) and the ingest service (checks).
final class SourceSilence: Sendable {
    private let watch: Mutex<SilenceWatch>

    init(factor: Int, minimum: Duration) {
        watch = Mutex(SilenceWatch(factor: factor, minimumMilliseconds: DurationText.milliseconds(of: minimum)))
    }

    /// On the monotonic clock: a wall clock set back or forward must not look like silence.
    private static let origin = ContinuousClock.now

    static var now: Int64 {
        DurationText.milliseconds(of: ContinuousClock.now - origin)
    }

    func delivered() {
        let now = Self.now
        watch.withLock { $0.delivered(at: now) }
    }

    func connectionChanged(up: Bool) {
        watch.withLock { $0.connectionChanged(up: up) }
    }

    func check() -> SilenceWatch.Action? {
        let now = Self.now
        return watch.withLock { $0.check(at: now) }
    }
}
