// Contract checked here: the libmosquitto wrapper connects with a persistent session, subscribes
// after every connect, hands messages over in batches before acknowledging them, reconnects after
// any failure, and never acknowledges a batch its handler refused.
import InMemoryLogging
import Logging
import MQTTClient
import Synchronization
import TestSupport
import Testing

/// Collects what a connection's handler receives, for tests to await.
final class Inbox: Sendable {
    let messages = Mutex<[MQTTMessage]>([])
    let batches = Mutex<Int>(0)
    /// Batches still to refuse (the handler throws for them).
    let refusals = Mutex<Int>(0)

    struct Refused: Error {}

    func handle(_ batch: [MQTTMessage]) throws {
        let refuse = refusals.withLock { remaining -> Bool in
            guard remaining > 0 else { return false }
            remaining -= 1
            return true
        }
        if refuse { throw Refused() }
        messages.withLock { $0.append(contentsOf: batch) }
        batches.withLock { $0 += 1 }
    }

    var payloads: [String] {
        messages.withLock { $0.map { String(decoding: $0.payload, as: UTF8.self) } }
    }
}

func quietLogger() -> Logger {
    Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }
}

func subscriber(_ broker: MosquittoBroker, id: String, inbox: Inbox, logger: Logger = quietLogger()) -> MQTTConnection {
    MQTTConnection(
        options: MQTTClientOptions(
            host: "127.0.0.1", port: broker.port, clientID: id, subscriptions: ["city/#"],
            backoff: Backoff(minimum: .milliseconds(100), maximum: .milliseconds(400))
        ),
        logger: logger,
        onMessages: { try inbox.handle($0) }
    )
}

func publisher(_ broker: MosquittoBroker, id: String = "publisher") -> MQTTConnection {
    MQTTConnection(
        options: MQTTClientOptions(
            host: "127.0.0.1", port: broker.port, clientID: id, cleanSession: true,
            backoff: Backoff(minimum: .milliseconds(100), maximum: .milliseconds(400)), maxInflight: 100
        ),
        logger: quietLogger()
    )
}

/// Publishes `count` numbered messages and waits until the broker acknowledged all of them.
func publishNumbered(_ connection: MQTTConnection, count: Int, from start: Int = 0) async throws {
    try await firstElement(of: connection.events, "publisher connected") { $0 == .subscribed }
    for index in start..<(start + count) {
        try connection.publish(topic: "city/fes/water/m1/flow", payload: Array("\(index)".utf8))
    }
    try await eventually("all publishes acknowledged") { connection.unacknowledgedPublishes == 0 }
}

@Suite("MQTT connection against a real mosquitto", .serialized)
struct MQTTConnectionTests {
    @Test("messages published by another client arrive in order, in batches")
    func receives() async throws {
        let broker = try MosquittoBroker()
        let inbox = Inbox()
        let connection = subscriber(broker, id: "gw-receive", inbox: inbox)
        connection.start()
        defer { connection.stop() }
        try await firstElement(of: connection.events, "subscribed") { $0 == .subscribed }

        let sender = publisher(broker)
        sender.start()
        defer { sender.stop() }
        try await publishNumbered(sender, count: 500)

        try await eventually("500 messages") { inbox.payloads.count == 500 }
        #expect(inbox.payloads == (0..<500).map(String.init))
        #expect(inbox.batches.withLock { $0 } <= 500)
    }

    @Test("a batch the handler refused is not acknowledged, so the broker delivers it again")
    func refusedBatchIsRedelivered() async throws {
        let broker = try MosquittoBroker()
        let inbox = Inbox()
        let connection = subscriber(broker, id: "gw-refuse", inbox: inbox)
        connection.start()
        defer { connection.stop() }
        try await firstElement(of: connection.events, "subscribed") { $0 == .subscribed }

        inbox.refusals.withLock { $0 = 1 }
        let sender = publisher(broker)
        sender.start()
        defer { sender.stop() }
        try await publishNumbered(sender, count: 1)

        try await eventually("the redelivered message") { inbox.payloads == ["0"] }
        #expect(inbox.refusals.withLock { $0 } == 0)
    }

    @Test("a persistent session keeps messages sent while the gateway was away")
    func persistentSession() async throws {
        let broker = try MosquittoBroker()
        let inbox = Inbox()
        let first = subscriber(broker, id: "gw-persist", inbox: inbox)
        first.start()
        try await firstElement(of: first.events, "subscribed") { $0 == .subscribed }
        first.stop()

        let sender = publisher(broker)
        sender.start()
        defer { sender.stop() }
        try await publishNumbered(sender, count: 200)

        let second = subscriber(broker, id: "gw-persist", inbox: inbox)
        second.start()
        defer { second.stop() }
        let connected = try await firstElement(of: second.events, "connected") {
            if case .connected = $0 { return true } else { return false }
        }
        #expect(connected == .connected(sessionPresent: true))
        try await eventually("the queued messages") { inbox.payloads.count == 200 }
        #expect(inbox.payloads == (0..<200).map(String.init))
    }

    @Test("after the broker restarts the connection comes back and subscribes again")
    func reconnectsAfterBrokerRestart() async throws {
        let broker = try MosquittoBroker()
        let inbox = Inbox()
        let connection = subscriber(broker, id: "gw-restart", inbox: inbox)
        connection.start()
        defer { connection.stop() }
        try await firstElement(of: connection.events, "subscribed") { $0 == .subscribed }

        broker.kill()
        try await firstElement(of: connection.events, "disconnected") {
            if case .disconnected = $0 { return true } else { return false }
        }
        try broker.start()
        try await firstElement(of: connection.events, "subscribed again") { $0 == .subscribed }

        let sender = publisher(broker)
        sender.start()
        defer { sender.stop() }
        try await publishNumbered(sender, count: 10)
        try await eventually("messages after the restart") { inbox.payloads.count == 10 }
    }

    @Test("refused credentials are logged and retried with backoff, never a dead loop")
    func refusedCredentialsAreRetried() async throws {
        let locked = try MosquittoBroker(allowAnonymous: false)

        let logs = InMemoryLogHandler()
        let connection = MQTTConnection(
            options: MQTTClientOptions(
                host: "127.0.0.1", port: locked.port, clientID: "gw-refused", username: "nobody", password: "wrong",
                subscriptions: ["city/#"], backoff: Backoff(minimum: .milliseconds(100), maximum: .milliseconds(200))
            ),
            logger: Logger(label: "test") { _ in logs }
        )
        connection.start()
        defer { connection.stop() }
        var refusals = 0
        var retries = 0
        for try await event in connection.events {
            if case .refused = event { refusals += 1 }
            if case .disconnected(_, let retryIn) = event, retryIn != nil { retries += 1 }
            if refusals >= 2 && retries >= 2 { break }
        }
        #expect(logs.entries.contains { $0.level == .error && "\($0.message)".contains("refused") })
    }

    @Test("a stopped connection ends its loop thread and reports it")
    func stops() async throws {
        let broker = try MosquittoBroker()
        let connection = subscriber(broker, id: "gw-stop", inbox: Inbox())
        connection.start()
        try await firstElement(of: connection.events, "subscribed") { $0 == .subscribed }
        connection.stop()
        let events = connection.events
        try await firstElement(of: events, "stopped") { $0 == .stopped }
    }
}

@Suite("Publishing through an outage", .serialized)
struct PublishingThroughOutageTests {
    @Test("QoS 1 messages published while the broker is down are sent after the reconnect")
    func queuedWhileDown() async throws {
        let broker = try MosquittoBroker()
        let inbox = Inbox()
        let receiver = subscriber(broker, id: "gw-outage", inbox: inbox)
        receiver.start()
        defer { receiver.stop() }
        try await firstElement(of: receiver.events, "subscribed") { $0 == .subscribed }
        let sender = publisher(broker, id: "sender-outage")
        sender.start()
        defer { sender.stop() }
        try await firstElement(of: sender.events, "publisher connected") { $0 == .subscribed }

        broker.stop()
        try await firstElement(of: sender.events, "publisher disconnected") {
            if case .disconnected = $0 { return true } else { return false }
        }
        for index in 0..<50 {
            try sender.publish(topic: "city/fes/water/m1/flow", payload: Array("\(index)".utf8))
        }
        #expect(sender.unacknowledgedPublishes == 50)
        try broker.start()
        try await eventually("the queued messages") { inbox.payloads.count == 50 }
        #expect(inbox.payloads == (0..<50).map(String.init))
        // The PUBACKs travel back to the sender after the receiver got the messages.
        try await eventually("the publishes acknowledged") { sender.unacknowledgedPublishes == 0 }
    }
}
