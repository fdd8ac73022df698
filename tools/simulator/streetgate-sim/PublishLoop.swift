import CitySimulation
import Logging
import MQTTClient

/// Publishes a scenario's messages, paced by a ``Pacer``, until a limit, a signal or a broker that
/// stays away too long ends it.
///
/// Three things hold messages back, checked in this order: the broker being unreachable (nothing is
/// queued while it is: libmosquitto would queue without bound), too many publishes still waiting
/// for their PUBACK, and the pacer (simulated clock and rate).
struct PublishLoop {
    enum Ending: Sendable, Equatable {
        case countReached
        case durationReached
        case signalled
        case brokerUnreachable(reason: String)
    }

    struct Outcome: Sendable {
        var ending: Ending
        var sent = 0
        var firstTime: SimulatedTime?
        var lastTime: SimulatedTime?
    }

    let scenario: Scenario
    let connection: MQTTConnection
    let watch: ConnectionWatch
    let stop: StopRequest
    let qos: Int
    let rate: Double
    let speed: Double
    let count: Int?
    let duration: Duration?
    let maxUnacknowledged: Int
    let unreachableLimit: Duration
    let logger: Logger

    func run() async throws -> Outcome {
        let clock = ContinuousClock()
        let runStart = clock.now
        var pacer = Pacer(start: scenario.start, speed: speed, rate: rate)
        // The pace is measured from the first connection, so a slow connect does not cause a burst.
        var pacingStart: ContinuousClock.Instant?
        var outcome = Outcome(ending: .signalled)
        var messages = scenario.makeIterator()
        var next = messages.next()

        while let message = next {
            if stop.isRequested { return outcome.ending(.signalled) }
            if let count, outcome.sent >= count { return outcome.ending(.countReached) }
            if let duration, clock.now - runStart >= duration { return outcome.ending(.durationReached) }

            if case .down(let since, let reason) = watch.link {
                if clock.now - since > unreachableLimit { return outcome.ending(.brokerUnreachable(reason: reason)) }
                try await Task.sleep(for: .milliseconds(20))
                continue
            }
            if connection.unacknowledgedPublishes >= maxUnacknowledged {
                try await Task.sleep(for: .milliseconds(1))
                continue
            }
            let started = pacingStart ?? clock.now
            pacingStart = started
            let now = clock.now - started
            let release = pacer.releaseTime(of: message.time)
            if release > now {
                // Short naps, so that a signal or the end of --duration is noticed promptly.
                try await Task.sleep(for: min(release - now, .milliseconds(100)))
                continue
            }
            do {
                try connection.publish(topic: message.topic, payload: message.payload, qos: qos, retain: false)
            } catch {
                // The link dropped between the check and the publish: the watch will say so shortly.
                logger.debug("publish refused; retrying", metadata: ["mqtt.topic": "\(message.topic)", "mqtt.error": "\(error)"])
                try await Task.sleep(for: .milliseconds(20))
                continue
            }
            pacer.didSend(at: now)
            outcome.sent += 1
            outcome.firstTime = outcome.firstTime ?? message.time
            outcome.lastTime = message.time
            next = messages.next()
        }
        // Only an empty fleet ends the sequence, and the command refuses one.
        return outcome.ending(.countReached)
    }
}

extension PublishLoop.Outcome {
    fileprivate func ending(_ ending: PublishLoop.Ending) -> Self {
        var copy = self
        copy.ending = ending
        return copy
    }
}
