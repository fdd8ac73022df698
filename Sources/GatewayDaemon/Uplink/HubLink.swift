import Dispatch
import Foundation
import GatewayCore
import GatewayStore
import Logging
import MQTTClient
import Synchronization

/// One `[[hub]]` at work: its MQTT connection, and a sender thread that feeds it from the buffer.
///
/// ## Delivery
/// At least once, in order: the sender builds a message only when the hub's in-flight window
/// (`max_inflight`) has room, storing it with its `seq` before publishing (`BufferWriter`'s hub
/// outbox), and forgets it only on the hub broker's PUBACK. Each connection starts from a fresh
/// libmosquitto handle, and the sender first resends every message still unacknowledged, in the
/// order they were first sent, with their `seq` and bytes: after a reconnect and after a restart
/// alike. A hub that upserts on the aggregate key, or ignores a `seq` it has seen, stays exact.
///
/// ## Priorities
/// Queued alert events go first, one message each. Then live aggregate batches. Batches from the
/// backlog an outage left go beside them, marked `historical`, holding at most half the in-flight
/// window, so live data keeps flowing while the backlog drains.
///
/// ## Presence
/// On every connect, a retained `online` status; the will is the retained `offline` status,
/// which `stop()` also publishes itself before disconnecting. Every `healthInterval` while
/// connected, a `health` message (QoS 0).
///
/// The sender thread does all the buffer work; the connection's loop thread only queues events for
/// it, so a slow disk never delays the MQTT keepalive.
final class HubLink: Sendable {
    let config: HubConfig
    let connection: MQTTConnection
    private let topics: HubTopics
    private let writer: BufferWriter
    private let presence: HubPresence
    private let clock: any WallClock
    private let healthInterval: Duration
    private let logger: Logger
    private let inbox = HubInbox()
    private let stopRequested = Atomic<Bool>(false)
    private let finished = DispatchSemaphore(value: 0)

    init(
        config: HubConfig, options: MQTTClientOptions, gatewayID: String, writer: BufferWriter,
        presence: HubPresence, clock: any WallClock, healthInterval: Duration, logger: Logger
    ) {
        self.config = config
        self.topics = HubTopics(prefix: config.topicPrefix(gateway: gatewayID))
        self.writer = writer
        self.presence = presence
        self.clock = clock
        self.healthInterval = healthInterval
        self.logger = logger
        var options = options
        options.will = MQTTClientOptions.Will(topic: topics.status, payload: presence.will(), qos: 1, retain: true)
        connection = MQTTConnection(options: options, logger: logger, onEvent: { [inbox] event in
            switch event {
            case .published, .connected, .disconnected:
                inbox.post(event)
            default:
                break
            }
        })
    }

    /// Registers nothing: `Gateway` registers every hub in the buffer before links start.
    func start() {
        connection.start()
        let thread = Thread { [self] in
            runSender()
            finished.signal()
        }
        thread.name = "hub \(config.name)"
        thread.start()
    }

    /// Publishes the retained `offline` status, disconnects cleanly and ends the sender.
    /// Messages still in flight stay in the buffer, and go again on the next start.
    func stop() {
        guard !stopRequested.exchange(true, ordering: .sequentiallyConsistent) else { return }
        inbox.wake()
        finished.wait()
        _ = try? connection.publish(topic: topics.status, payload: presence.offline(at: clock.now()), qos: 1, retain: true)
        connection.stop()
    }

    // MARK: - The sender thread

    private func runSender() {
        var sender = SenderState()
        while !stopRequested.load(ordering: .relaxed) {
            inbox.wait(upTo: .milliseconds(250))
            if stopRequested.load(ordering: .relaxed) { break }
            do {
                try handleEvents(&sender)
                if sender.connected {
                    try fillWindow(&sender)
                    publishHealthIfDue(&sender)
                }
            } catch {
                // The buffer refused (full, closed, I/O): nothing was lost, the outbox keeps it all.
                logger.error("uplink: cannot read or update the buffer; retrying", metadata: ["error": "\(error)"])
                inbox.wait(upTo: .seconds(1))
            }
        }
    }

    private func handleEvents(_ sender: inout SenderState) throws {
        let events = inbox.take()
        var acknowledged: [Int64] = []
        for event in events {
            switch event {
            case .published(let mid):
                if let message = sender.inFlight.removeValue(forKey: mid) {
                    acknowledged.append(message.id)
                    if message.historical { sender.historicalInFlight -= 1 }
                }
            case .disconnected:
                if sender.connected {
                    try writer.hubDisconnected(config.name, at: clock.now())
                }
                sender.connected = false
                sender.forgetInFlight()
            case .connected:
                try writer.acknowledge(hub: config.name, messages: acknowledged, at: clock.now())
                acknowledged.removeAll()
                sender.forgetInFlight()
                try connected(&sender)
            default:
                break
            }
        }
        try writer.acknowledge(hub: config.name, messages: acknowledged, at: clock.now())
    }

    /// A new connection: announce ourselves, then resend what the last one left unacknowledged.
    private func connected(_ sender: inout SenderState) throws {
        let now = clock.now()
        try writer.hubConnected(config.name, at: now)
        sender.connected = true
        publish(topic: topics.status, payload: presence.online(at: now), qos: 1, retain: true)
        let unacknowledged = try writer.unacknowledgedMessages(hub: config.name)
        if !unacknowledged.isEmpty {
            logger.info("uplink: resending messages the hub had not acknowledged", metadata: [
                "uplink.messages": "\(unacknowledged.count)", "uplink.first_seq": "\(unacknowledged.compactMap(\.seq).first.map(String.init) ?? "-")",
            ])
        }
        for message in unacknowledged {
            send(message, &sender)
        }
        sender.lastHealth = nil  // a fresh connection gets a health message at once
    }

    /// Builds and sends messages while the in-flight window has room: alerts, then live batches,
    /// then backlog batches within their share.
    private func fillWindow(_ sender: inout SenderState) throws {
        let backlogShare = max(1, config.maxInflight / 2)
        while sender.connected, sender.inFlight.count < config.maxInflight {
            let now = clock.now()
            let gateway = presence.gateway
            if let alert = try writer.buildAlertMessage(hub: config.name, now: now, encode: { event in
                Array(UplinkPayloads.alert(event, gateway: gateway).utf8)
            }) {
                guard send(alert, &sender) else { return }
                continue
            }
            let encode: ([Aggregate], Int, Bool) -> [UInt8] = { aggregates, seq, historical in
                UplinkPayloads.aggregateBatchBytes(aggregates, gateway: gateway, seq: seq, historical: historical)
            }
            if let live = try writer.buildAggregateBatch(hub: config.name, from: .live, limit: config.maxBatch, now: now, encode: encode) {
                guard send(live, &sender) else { return }
                continue
            }
            if sender.historicalInFlight < backlogShare,
               let old = try writer.buildAggregateBatch(hub: config.name, from: .backlog, limit: config.maxBatch, now: now, encode: encode) {
                guard send(old, &sender) else { return }
                continue
            }
            return
        }
    }

    /// Publishes a built message; false when the connection refused it (it just went down): the
    /// message stays in the buffer for the next connect, and nothing more is built this turn.
    @discardableResult
    private func send(_ message: HubMessage, _ sender: inout SenderState) -> Bool {
        let topic = message.kind == .alert ? topics.alerts : topics.aggregates
        guard let mid = publish(topic: topic, payload: message.payload, qos: 1, retain: false) else {
            return false
        }
        sender.inFlight[mid] = InFlight(id: message.id, historical: message.historical)
        if message.historical { sender.historicalInFlight += 1 }
        return true
    }

    private func publishHealthIfDue(_ sender: inout SenderState) {
        let now = ContinuousClock.now
        if let last = sender.lastHealth, now - last < healthInterval { return }
        sender.lastHealth = now
        guard let payload = presence.health(at: clock.now()) else { return }
        publish(topic: topics.health, payload: payload, qos: 0, retain: false)
    }

    @discardableResult
    private func publish(topic: String, payload: [UInt8], qos: Int, retain: Bool) -> Int32? {
        do {
            return try connection.publish(topic: topic, payload: payload, qos: qos, retain: retain)
        } catch {
            logger.debug("uplink: publish not queued", metadata: ["mqtt.topic": "\(topic)", "mqtt.error": "\(error)"])
            return nil
        }
    }
}

/// What the sender thread alone keeps between turns.
private struct SenderState {
    var connected = false
    /// Our messages awaiting PUBACK, by MQTT message id (ids are per connection).
    var inFlight: [Int32: InFlight] = [:]
    var historicalInFlight = 0
    var lastHealth: ContinuousClock.Instant?

    mutating func forgetInFlight() {
        inFlight.removeAll()
        historicalInFlight = 0
    }
}

private struct InFlight {
    let id: Int64
    let historical: Bool
}

/// The uplink topics under a hub's prefix (contract.md, "Uplink").
struct HubTopics: Sendable {
    let aggregates: String
    let alerts: String
    let status: String
    let health: String

    init(prefix: String) {
        aggregates = "\(prefix)/aggregates"
        alerts = "\(prefix)/alerts"
        status = "\(prefix)/status"
        health = "\(prefix)/health"
    }
}

/// The connection's events, handed from its loop thread to the sender thread in order.
private final class HubInbox: Sendable {
    private let events = Mutex<[MQTTEvent]>([])
    private let signal = DispatchSemaphore(value: 0)

    func post(_ event: MQTTEvent) {
        events.withLock { $0.append(event) }
        signal.signal()
    }

    func take() -> [MQTTEvent] {
        events.withLock { events in
            defer { events.removeAll(keepingCapacity: true) }
            return events
        }
    }

    func wake() {
        signal.signal()
    }

    /// Returns when woken or after `timeout`, whichever comes first.
    func wait(upTo timeout: DispatchTimeInterval) {
        _ = signal.wait(timeout: .now() + timeout)
    }
}
