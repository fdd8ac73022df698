// Contract checked here: under MQTT 5 a subscriber holds what it read, unacknowledged, until
// `maxBatch` messages wait or the first has waited `maxHold`, then hands them over as one batch; the
// broker sends up to `maxBatch` unacknowledged messages (Receive Maximum); the session outlives
// the connection; a stop hands held messages over before their PUBACKs leave.
import Foundation
import InMemoryLogging
import Logging
import MQTTClient
import Synchronization
import TestSupport
import Testing

private func holdingSubscriber(
    _ broker: MosquittoBroker, id: String, inbox: Inbox, maxBatch: Int = 1000, maxHold: Duration,
    port: Int? = nil, logger: Logger = quietLogger()
) -> MQTTConnection {
    MQTTConnection(
        options: MQTTClientOptions(
            host: "127.0.0.1", port: port ?? broker.port, clientID: id, subscriptions: ["city/#"],
            backoff: Backoff(minimum: .milliseconds(100), maximum: .milliseconds(400)),
            protocolVersion: .v5, maxBatch: maxBatch, maxHold: maxHold
        ),
        logger: logger,
        onMessages: { try inbox.handle($0) }
    )
}

@Suite("MQTT 5 subscriber holding its acknowledgements", .serialized)
struct HeldBatchTests {
    @Test("messages that arrive within the hold are handed over together, in order")
    func gathersOneBatch() async throws {
        let broker = try MosquittoBroker()
        let inbox = Inbox()
        let connection = holdingSubscriber(broker, id: "gw-gather", inbox: inbox, maxHold: .seconds(2))
        connection.start()
        defer { connection.stop() }
        try await firstElement(of: connection.events, "subscribed") { $0 == .subscribed }

        let sender = publisher(broker)
        sender.start()
        defer { sender.stop() }
        try await publishNumbered(sender, count: 300)

        try await eventually("300 messages") { inbox.payloads.count == 300 }
        #expect(inbox.payloads == (0..<300).map(String.init))
        // Published in well under the 2 s hold: one batch, or two if the hold ended mid-stream.
        #expect(inbox.batches.withLock { $0 } <= 2)
    }

    @Test("the broker sends a full batch without waiting for acknowledgements, beyond 3.1.1's window of 20")
    func receiveMaximumIsTheBatch() async throws {
        let broker = try MosquittoBroker()
        let inbox = Inbox()
        // A hold far longer than the test waits: only a full batch can be handed over in time.
        let connection = holdingSubscriber(broker, id: "gw-window", inbox: inbox, maxBatch: 400, maxHold: .seconds(5))
        connection.start()
        defer { connection.stop() }
        try await firstElement(of: connection.events, "subscribed") { $0 == .subscribed }

        let sender = publisher(broker)
        sender.start()
        defer { sender.stop() }
        try await publishNumbered(sender, count: 1000)

        try await eventually(within: .seconds(3), "two full batches of 400") { inbox.payloads.count >= 800 }
        #expect(inbox.batches.withLock { $0 } == 2)
        #expect(inbox.payloads == (0..<800).map(String.init))
    }

    @Test("held messages are not acknowledged until handed over; a stop hands them over first")
    func stopHandsOverBeforeAcknowledging() async throws {
        let broker = try MosquittoBroker()
        let inbox = Inbox()
        let first = holdingSubscriber(broker, id: "gw-held", inbox: inbox, maxHold: .seconds(5))
        first.start()
        try await firstElement(of: first.events, "subscribed") { $0 == .subscribed }

        let sender = publisher(broker)
        sender.start()
        defer { sender.stop() }
        try await publishNumbered(sender, count: 10)
        try await Task.sleep(for: .milliseconds(300))
        #expect(inbox.payloads.isEmpty, "held for up to 5 s")

        first.stop()
        #expect(inbox.payloads == (0..<10).map(String.init))
        // The broker reads one packet per connection per turn of its loop: a new connection under
        // the same id, made at once, could take the session over before it read the PUBACKs.
        try await eventually("the broker to read the DISCONNECT, after the PUBACKs") {
            ((try? String(contentsOfFile: broker.logFile, encoding: .utf8)) ?? "").contains("Client gw-held disconnected")
        }

        // Acknowledged at the stop: the session has nothing to deliver again.
        let again = Inbox()
        let second = holdingSubscriber(broker, id: "gw-held", inbox: again, maxHold: .zero)
        second.start()
        defer { second.stop() }
        try await firstElement(of: second.events, "subscribed") { $0 == .subscribed }
        try sender.publish(topic: "city/fes/water/m1/flow", payload: Array("10".utf8))
        try await eventually("the next message") { !again.payloads.isEmpty }
        try await Task.sleep(for: .milliseconds(200))
        #expect(again.payloads == ["10"])
    }

    @Test("a held batch refused at the stop is delivered again to the next connection")
    func refusedAtStopIsRedelivered() async throws {
        let broker = try MosquittoBroker()
        let inbox = Inbox()
        let first = holdingSubscriber(broker, id: "gw-held-refused", inbox: inbox, maxHold: .seconds(5))
        first.start()
        try await firstElement(of: first.events, "subscribed") { $0 == .subscribed }

        let sender = publisher(broker)
        sender.start()
        defer { sender.stop() }
        try await publishNumbered(sender, count: 5)
        try await Task.sleep(for: .milliseconds(300))
        inbox.refusals.withLock { $0 = 1 }
        first.stop()
        #expect(inbox.payloads.isEmpty)

        let second = holdingSubscriber(broker, id: "gw-held-refused", inbox: inbox, maxHold: .zero)
        second.start()
        defer { second.stop() }
        try await eventually("the redelivered messages") { inbox.payloads == (0..<5).map(String.init) }
    }

    @Test("an MQTT 5 persistent session keeps messages sent while the subscriber was away")
    func sessionOutlivesConnection() async throws {
        let broker = try MosquittoBroker()
        let inbox = Inbox()
        let first = holdingSubscriber(broker, id: "gw-v5-persist", inbox: inbox, maxHold: .milliseconds(100))
        first.start()
        try await firstElement(of: first.events, "subscribed") { $0 == .subscribed }
        first.stop()

        let sender = publisher(broker)
        sender.start()
        defer { sender.stop() }
        try await publishNumbered(sender, count: 200)

        let second = holdingSubscriber(broker, id: "gw-v5-persist", inbox: inbox, maxHold: .milliseconds(100))
        second.start()
        defer { second.stop() }
        let connected = try await firstElement(of: second.events, "connected") {
            if case .connected = $0 { return true } else { return false }
        }
        #expect(connected == .connected(sessionPresent: true))
        try await eventually("the queued messages") { inbox.payloads.count == 200 }
        #expect(inbox.payloads == (0..<200).map(String.init))
    }

    @Test("a broker that is not there yet is retried, and reached once it listens")
    func reachesBrokerThatStartsLate() async throws {
        let port = try Ports.ephemeral()
        let logs = InMemoryLogHandler()
        let inbox = Inbox()
        let broker = try MosquittoBroker(port: port)
        broker.stop()
        let connection = holdingSubscriber(
            broker, id: "gw-late", inbox: inbox, maxHold: .milliseconds(100), port: port,
            logger: Logger(label: "test") { _ in logs })
        connection.start()
        defer { connection.stop() }
        try await firstElement(of: connection.events, "a failed attempt") {
            if case .disconnected(let reason, _) = $0 { return reason.contains("refused") } else { return false }
        }
        try broker.start()
        try await firstElement(of: connection.events, "subscribed") { $0 == .subscribed }
    }

    @Test("refused credentials under MQTT 5 are logged with the broker's reason and retried")
    func refusedCredentials() async throws {
        let locked = try MosquittoBroker(allowAnonymous: false)
        let logs = InMemoryLogHandler()
        let connection = MQTTConnection(
            options: MQTTClientOptions(
                host: "127.0.0.1", port: locked.port, clientID: "gw-v5-refused", username: "nobody", password: "wrong",
                subscriptions: ["city/#"], backoff: Backoff(minimum: .milliseconds(100), maximum: .milliseconds(200)),
                protocolVersion: .v5, maxHold: .milliseconds(100)
            ),
            logger: Logger(label: "test") { _ in logs }
        )
        connection.start()
        defer { connection.stop() }
        var reasons: [String] = []
        for try await event in connection.events {
            if case .refused(let reason) = event { reasons.append(reason) }
            if reasons.count >= 2 { break }
        }
        // The MQTT 5 reason code's text, not 3.1.1's table read with a 5 code ("unknown reason").
        #expect(reasons.allSatisfy { !$0.lowercased().contains("unknown") && !$0.isEmpty }, "\(reasons)")
    }
}
