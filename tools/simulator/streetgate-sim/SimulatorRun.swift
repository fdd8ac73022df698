import CitySimulation
import Logging
import MQTTClient

/// One run of the simulator against a broker: connect, publish, wait for the acknowledgements,
/// disconnect, and say how it went.
struct SimulatorRun {
    struct Summary: Sendable {
        var outcome: PublishLoop.Outcome
        var unacknowledged: Int
        var elapsed: Duration
    }

    /// How long the broker may stay unreachable (at start or later) before the run gives up.
    static let unreachableLimit = Duration.seconds(10)
    /// How long to wait for outstanding acknowledgements before exiting.
    static let acknowledgementWait = Duration.seconds(30)
    /// QoS 1 messages in flight at once; also the most publishes left waiting for a PUBACK.
    static let maxInflight = 100

    let broker: BrokerAddress
    let clientID: String
    let qos: Int
    let scenario: Scenario
    let rate: Double
    let speed: Double
    let count: Int?
    let duration: Duration?
    let logger: Logger

    func run(stop: StopRequest) async throws -> Summary {
        let clock = ContinuousClock()
        let began = clock.now
        let options = MQTTClientOptions(
            host: broker.host,
            port: broker.port,
            clientID: clientID,
            cleanSession: true,
            tls: broker.usesTLS ? MQTTClientOptions.TLS() : nil,
            maxInflight: Self.maxInflight
        )
        let connection = MQTTConnection(options: options, logger: logger)
        let watch = ConnectionWatch(now: began)
        async let following: Void = watch.follow(connection.events)
        connection.start()

        let loop = PublishLoop(
            scenario: scenario, connection: connection, watch: watch, stop: stop, qos: qos,
            rate: rate, speed: speed, count: count, duration: duration,
            maxUnacknowledged: Self.maxInflight, unreachableLimit: Self.unreachableLimit, logger: logger
        )
        let outcome: PublishLoop.Outcome
        do {
            outcome = try await loop.run()
        } catch {
            connection.stop()
            await following
            throw error
        }
        var unacknowledged = connection.unacknowledgedPublishes
        if case .brokerUnreachable = outcome.ending {
            // Nothing will be acknowledged by a broker that is not there.
        } else {
            unacknowledged = await waitForAcknowledgements(connection, stop: stop)
        }
        connection.stop()
        await following
        return Summary(outcome: outcome, unacknowledged: unacknowledged, elapsed: clock.now - began)
    }

    /// Waits until the broker acknowledged every publish, for at most ``acknowledgementWait``
    /// (or until a second signal); returns how many are still unacknowledged.
    private func waitForAcknowledgements(_ connection: MQTTConnection, stop: StopRequest) async -> Int {
        let deadline = ContinuousClock.now + Self.acknowledgementWait
        while connection.unacknowledgedPublishes > 0, ContinuousClock.now < deadline, !stop.isInsistent {
            try? await Task.sleep(for: .milliseconds(10))
        }
        return connection.unacknowledgedPublishes
    }
}
