import GatewayCore
import GatewayStore
import Logging
import MQTTClient
import SystemdIntegration

/// One `[[source]]` at work: its MQTT connection and the batch store its loop thread calls.
struct SourceConnection: Sendable {
    let name: String
    let connection: MQTTConnection
    let batches: SourceBatchStore
    let silence: SourceSilence
    let logger: Logger

    init(config: SourceConfig, options: MQTTClientOptions, batches: SourceBatchStore, heartbeat: Heartbeat?, logger: Logger) {
        name = config.name
        self.batches = batches
        self.logger = logger
        let silence = SourceSilence(factor: config.silenceFactor, minimum: config.silenceMinimum)
        self.silence = silence
        connection = MQTTConnection(
            options: options, logger: logger,
            onMessages: { [batches] messages in
                try batches.store(messages)
                silence.delivered()
            },
            onEvent: { event in
                switch event {
                case .subscribed: silence.connectionChanged(up: true)
                case .disconnected: silence.connectionChanged(up: false)
                case .stopped:
                    silence.connectionChanged(up: false)
                    heartbeat?.retire()
                default: break
                }
            },
            onLoopActivity: { activity in
                switch activity {
                case .turn: heartbeat?.beat()
                case .waitingToReconnect: heartbeat?.idle()
                }
            }
        )
    }

    /// Acts on a connection that is up but has been silent for too long; called every second.
    func checkSilence() {
        guard let action = silence.check() else { return }
        switch action {
        case .resubscribe(let silentFor, let usual):
            logger.warning("source connected but silent: subscribing again", metadata: [
                "source.silent_ms": "\(silentFor)", "source.usual_interval_ms": "\(usual)",
            ])
            connection.resubscribe()
        case .reconnect(let silentFor, let usual):
            logger.warning("source still silent after subscribing again: reconnecting", metadata: [
                "source.silent_ms": "\(silentFor)", "source.usual_interval_ms": "\(usual)",
            ])
            connection.reconnect()
        }
    }
}

/// Decodes a batch of one source's messages and commits it.
///
/// The connection's loop thread calls `store(_:)` with every batch it read; the readings and dead
/// letters of the batch, and the alerts and aggregates they cause, go into SQLite in one
/// transaction, and only when that returned does the
/// connection write the batch's PUBACKs. A payload that cannot become readings is dead-lettered and
/// logged at a limited rate; it is never a reason to refuse the batch.
final class SourceBatchStore: Sendable {
    let source: String
    private let decoder: PayloadDecoder
    private let pipeline: ReadingPipeline
    private let clock: any WallClock
    private let logger: Logger
    private let rateLimitedLog: RateLimitedLog

    init(source: String, decoder: PayloadDecoder, pipeline: ReadingPipeline, clock: any WallClock, logger: Logger, rateLimitedLog: RateLimitedLog) {
        self.source = source
        self.decoder = decoder
        self.pipeline = pipeline
        self.clock = clock
        self.logger = logger
        self.rateLimitedLog = rateLimitedLog
    }

    /// Runs on the connection's loop thread.
    func store(_ messages: [MQTTMessage]) throws {
        // The stamp for readings without a time of their own. The daemon's clock never goes back
        // (`SystemWallClock`), so a series stamped on arrival stays in time order, as the rules
        // need, even when the system's clock is set back.
        let receivedAt = clock.now()
        var readings: [Reading] = []
        readings.reserveCapacity(messages.count)
        var deadLetters: [DeadLetter] = []
        for message in messages {
            let outcome = decoder.decode(topic: message.topic, payload: message.payload, receivedAt: receivedAt)
            readings.append(contentsOf: outcome.readings)
            for failure in outcome.failures {
                deadLetters.append(DeadLetter(
                    at: receivedAt, source: source, topic: message.topic,
                    reason: failure.reason.rawValue, detail: failure.detail, payload: message.payload
                ))
                // The payload itself is never logged: it may be large, binary or personal.
                rateLimitedLog.log(logger, .warning, key: "dead-letter.\(source).\(failure.reason.rawValue)",
                    "payload dead-lettered", metadata: [
                        "mqtt.topic": "\(message.topic)", "payload.reason": "\(failure.reason.rawValue)",
                        "payload.detail": "\(failure.detail)",
                    ])
            }
        }
        try pipeline.store(readings: readings, deadLetters: deadLetters)
    }
}

