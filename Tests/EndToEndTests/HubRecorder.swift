import Foundation
import Logging
import MQTTClient
import Synchronization
import TestSupport

/// A hub server stand-in: subscribes to everything under `streetgate/` on a hub broker, with a
/// persistent session so a broker restart loses nothing it queued for us, and keeps every message.
final class HubRecorder: Sendable {
    struct Received: Sendable {
        let topic: String
        let payload: String
        let retain: Bool

        var json: [String: Any] {
            (try? JSONSerialization.jsonObject(with: Data(payload.utf8))) as? [String: Any] ?? [:]
        }
    }

    let connection: MQTTConnection
    private let log = ReceivedLog()

    init(broker: MosquittoBroker, id: String = "hub-server", filter: String = "streetgate/#", cleanSession: Bool = false) {
        let log = self.log
        connection = MQTTConnection(
            options: MQTTClientOptions(
                host: "127.0.0.1", port: broker.port, clientID: id, cleanSession: cleanSession,
                subscriptions: [filter], backoff: Backoff(minimum: .milliseconds(100), maximum: .milliseconds(300))
            ),
            logger: Logger(label: "hub-server") { _ in SwiftLogNoOpLogHandler() },
            onMessages: { messages in
                let copies = messages.map { Received(topic: $0.topic, payload: String(decoding: $0.payload, as: UTF8.self), retain: $0.retain) }
                log.items.withLock { $0.append(contentsOf: copies) }
            }
        )
    }

    func start() async throws {
        connection.start()
        try await firstElement(of: connection.events, "the hub server to subscribe") { $0 == .subscribed }
    }

    var messages: [Received] {
        log.items.withLock { $0 }
    }

    func messages(on suffix: String) -> [Received] {
        messages.filter { $0.topic.hasSuffix("/" + suffix) }
    }

    /// Every aggregate batch received, duplicates included, in arrival order.
    var batches: [[String: Any]] {
        messages(on: "aggregates").map(\.json)
    }

    deinit {
        connection.stop()
    }
}

private final class ReceivedLog: Sendable {
    let items = Mutex<[HubRecorder.Received]>([])
}
