import MQTTClient
import Synchronization

/// Follows a connection's events to know whether the broker is reachable now, and since when it
/// has not been: the publisher pauses while the link is down and gives up after a while.
final class ConnectionWatch: Sendable {
    enum Link: Sendable, Equatable {
        case up
        case down(since: ContinuousClock.Instant, reason: String)
    }

    private let state: Mutex<Link>

    init(now: ContinuousClock.Instant = .now) {
        state = Mutex(.down(since: now, reason: "no connection yet"))
    }

    var link: Link {
        state.withLock { $0 }
    }

    /// Reads events until the connection stops.
    func follow(_ events: AsyncStream<MQTTEvent>) async {
        for await event in events {
            record(event, at: .now)
        }
    }

    func record(_ event: MQTTEvent, at now: ContinuousClock.Instant) {
        switch event {
        case .connected:
            state.withLock { $0 = .up }
        case .disconnected(let reason, _):
            markDown(reason: reason, at: now)
        case .refused(let reason):
            markDown(reason: "refused: \(reason)", at: now)
        case .subscribed, .subscriptionRefused, .published, .stopped:
            break
        }
    }

    /// Keeps the time the link first went down; only the reason is updated by later failures.
    private func markDown(reason: String, at now: ContinuousClock.Instant) {
        state.withLock { link in
            if case .down(let since, _) = link {
                link = .down(since: since, reason: reason)
            } else {
                link = .down(since: now, reason: reason)
            }
        }
    }
}
