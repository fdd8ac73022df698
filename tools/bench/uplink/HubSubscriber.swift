import BenchSupport
import Foundation
import Logging
import MQTTClient
import Synchronization
import TestSupport

/// A QoS 1 subscriber to one hub topic that counts what arrives: messages, aggregates, and the
/// bytes they took on the wire.
///
/// Aggregates are counted as occurrences of `"sensor":` in the payloads, which works for a batch
/// (one per aggregate in its array) and for one aggregate object alike. The first and last arrival
/// are stamped as the connection's loop thread hands the messages over.
final class HubSubscriber: Sendable {
    struct Tally: Sendable {
        var messages = 0
        var aggregates = 0
        var payloadBytes = 0
        /// Every PUBLISH as the broker sent it (fixed header, topic, packet id, payload), plus the
        /// 4-byte PUBACK that answers it.
        var wireBytes = 0
        var first: ContinuousClock.Instant?
        var aggregatesInFirst = 0
        var last: ContinuousClock.Instant?

        /// Aggregates per second from the first arrival to the last. The first message's own
        /// aggregates are left out: they arrived at the start of the interval, not during it.
        var aggregateRate: Double {
            guard let first, let last, last > first else { return 0 }
            return Double(aggregates - aggregatesInFirst) / seconds(last - first)
        }

        var messageRate: Double {
            guard let first, let last, last > first else { return 0 }
            return Double(messages - 1) / seconds(last - first)
        }
    }

    /// Shared with the connection's callback, which is made before `self` exists.
    private final class Shared: Sendable {
        let tally = Mutex(Tally())
    }

    let topic: String
    private let connection: MQTTConnection
    private let shared = Shared()

    init(port: Int, topic: String, clientID: String) {
        self.topic = topic
        let shared = self.shared
        connection = MQTTConnection(
            options: MQTTClientOptions(
                host: "127.0.0.1", port: port, clientID: clientID, cleanSession: false,
                subscriptions: [topic], subscriptionQoS: 1
            ),
            logger: Logger(label: "bench-hub") { _ in SwiftLogNoOpLogHandler() },
            onMessages: { messages in
                let now = ContinuousClock.now
                shared.tally.withLock { tally in
                    for message in messages {
                        let aggregates = Self.occurrences(of: Self.sensorKey, in: message.payload)
                        if tally.first == nil {
                            tally.first = now
                            tally.aggregatesInFirst = aggregates
                        }
                        tally.last = now
                        tally.messages += 1
                        tally.aggregates += aggregates
                        tally.payloadBytes += message.payload.count
                        tally.wireBytes += Self.wireBytes(topic: message.topic, payload: message.payload.count) + 4
                    }
                }
            }
        )
    }

    func start() async throws {
        connection.start()
        try await firstElement(of: connection.events, "the hub subscriber to subscribe") { $0 == .subscribed }
    }

    func stop() {
        connection.stop()
    }

    var current: Tally {
        shared.tally.withLock { $0 }
    }

    func reset() {
        shared.tally.withLock { $0 = Tally() }
    }

    /// Waits until `count` aggregates arrived; throws after `timeout`, or when `failed` says the
    /// sender is gone.
    func waitForAggregates(_ count: Int, within timeout: Duration, _ what: String, failed: () -> String? = { nil }) async throws {
        let deadline = ContinuousClock.now + timeout
        while current.aggregates < count {
            if let failure = failed() { throw BrokerError(message: "\(what): \(failure)") }
            guard ContinuousClock.now < deadline else {
                throw BrokerError(message: "\(what): \(current.aggregates) of \(count) aggregates after \(timeout)")
            }
            try await Task.sleep(for: .milliseconds(5))
        }
    }

    /// The size of a QoS 1 PUBLISH in MQTT 3.1.1: a type byte, the remaining length (1 to 4 bytes),
    /// the topic with its 2-byte length, the 2-byte packet id, and the payload.
    static func wireBytes(topic: String, payload: Int) -> Int {
        let remaining = 2 + topic.utf8.count + 2 + payload
        var lengthBytes = 1
        var rest = remaining >> 7
        while rest > 0 {
            lengthBytes += 1
            rest >>= 7
        }
        return 1 + lengthBytes + remaining
    }

    static let sensorKey = Array("\"sensor\":".utf8)

    static func occurrences(of needle: [UInt8], in haystack: [UInt8]) -> Int {
        guard haystack.count >= needle.count else { return 0 }
        var found = 0
        var index = 0
        let last = haystack.count - needle.count
        while index <= last {
            if haystack[index] == needle[0] && haystack[index..<(index + needle.count)].elementsEqual(needle) {
                found += 1
                index += needle.count
            } else {
                index += 1
            }
        }
        return found
    }
}
