import CMosquitto
import Logging
import Synchronization

/// The state libmosquitto's callbacks reach through their `obj` pointer.
///
/// Ownership: the connection hands it to C with `Unmanaged.passRetained` when it creates a handle and
/// releases it once, after `mosquitto_destroy`. Callbacks run only on the loop thread (we never call
/// `mosquitto_loop_start`), so the mutable fields need no lock; `unacknowledged` is also changed by
/// `publish` callers and is atomic.
final class CallbackContext {
    let options: MQTTClientOptions
    let logger: Logger
    let events: AsyncStream<MQTTEvent>.Continuation
    let unacknowledged: Atomic<Int>
    let onEvent: @Sendable (MQTTEvent) -> Void

    /// Messages read in this loop turn, not yet handed over.
    var pending: [MQTTMessage] = []
    /// Subscribe message ids waiting for SUBACK, in this connection.
    var awaitedSubscriptions: [Int32: [String]] = [:]
    var refusedSubscriptions = false
    /// Set by a CONNACK that accepted us; cleared when the connection goes.
    var connected = false
    /// Set by a CONNACK that accepted us; cleared only when the next attempt starts, so the loop
    /// can tell a connection that was up from one that never came up.
    var acceptedThisAttempt = false
    /// The CONNACK refusal text, if the broker refused us.
    var refusal: String?

    init(
        options: MQTTClientOptions, logger: Logger, events: AsyncStream<MQTTEvent>.Continuation, unacknowledged: Int,
        onEvent: @escaping @Sendable (MQTTEvent) -> Void
    ) {
        self.options = options
        self.onEvent = onEvent
        self.logger = logger
        self.events = events
        self.unacknowledged = Atomic(unacknowledged)
        pending.reserveCapacity(options.maxBatch)
    }

    /// Hands `event` to the synchronous handler, then to the stream.
    func emit(_ event: MQTTEvent) {
        onEvent(event)
        events.yield(event)
    }

    static func from(_ obj: UnsafeMutableRawPointer?) -> CallbackContext {
        Unmanaged<CallbackContext>.fromOpaque(obj!).takeUnretainedValue()
    }
}

// The callbacks: top-level, non-capturing, they copy what they need and return.

func onConnect(_ mosq: OpaquePointer?, _ obj: UnsafeMutableRawPointer?, _ rc: Int32, _ flags: Int32) {
    let context = CallbackContext.from(obj)
    guard rc == 0 else {
        // MQTT 5 answers with a reason code, 3.1.1 with a CONNACK return code: different tables.
        let reason = context.options.protocolVersion == .v5
            ? String(cString: mosquitto_reason_string(rc)) : String(cString: mosquitto_connack_string(rc))
        context.refusal = reason
        context.logger.error("broker refused the connection", metadata: ["mqtt.reason": "\(reason)"])
        context.emit(.refused(reason: reason))
        return
    }
    context.connected = true
    context.acceptedThisAttempt = true
    context.refusal = nil
    let sessionPresent = flags & 1 == 1
    context.logger.info("connected", metadata: ["mqtt.session_present": "\(sessionPresent)"])
    context.emit(.connected(sessionPresent: sessionPresent))
    // Subscribe again on every connect: a broker that lost our session (restart without persistence)
    // would otherwise never send us anything again.
    subscribeAll(mosq, context)
}

/// Subscribes to every configured filter; `.subscribed` follows once the broker granted them all.
func subscribeAll(_ mosq: OpaquePointer?, _ context: CallbackContext) {
    context.awaitedSubscriptions.removeAll()
    context.refusedSubscriptions = false
    if context.options.subscriptions.isEmpty {
        context.emit(.subscribed)
        return
    }
    for filter in context.options.subscriptions {
        var mid: Int32 = 0
        let code = mosquitto_subscribe(mosq, &mid, filter, Int32(context.options.subscriptionQoS))
        if code == MOSQ_ERR_SUCCESS.rawValue {
            context.awaitedSubscriptions[mid] = [filter]
        } else {
            context.logger.error("subscribe failed", metadata: [
                "mqtt.filter": "\(filter)", "mqtt.error": "\(MosquittoError(code, operation: "subscribe"))",
            ])
        }
    }
}

func onSubscribe(_ mosq: OpaquePointer?, _ obj: UnsafeMutableRawPointer?, _ mid: Int32, _ count: Int32, _ granted: UnsafePointer<Int32>?) {
    let context = CallbackContext.from(obj)
    guard let filters = context.awaitedSubscriptions.removeValue(forKey: mid) else { return }
    for (index, filter) in filters.enumerated() where index < Int(count) {
        if let granted, granted[index] >= 0x80 {
            context.refusedSubscriptions = true
            context.logger.error("broker refused the subscription", metadata: ["mqtt.filter": "\(filter)"])
            context.emit(.subscriptionRefused(filter: filter))
        }
    }
    if context.awaitedSubscriptions.isEmpty, !context.refusedSubscriptions {
        context.logger.debug("subscriptions acknowledged", metadata: ["mqtt.filters": "\(context.options.subscriptions)"])
        context.emit(.subscribed)
    }
}

func onMessage(_ mosq: OpaquePointer?, _ obj: UnsafeMutableRawPointer?, _ message: UnsafePointer<mosquitto_message>?) {
    guard let message else { return }
    let context = CallbackContext.from(obj)
    let topic = String(cString: message.pointee.topic)
    let length = Int(message.pointee.payloadlen)
    let payload: [UInt8]
    if let bytes = message.pointee.payload, length > 0 {
        payload = Array(UnsafeRawBufferPointer(start: bytes, count: length))
    } else {
        payload = []
    }
    context.pending.append(MQTTMessage(
        topic: topic, payload: payload, qos: Int(message.pointee.qos), retain: message.pointee.retain
    ))
}

func onPublish(_ mosq: OpaquePointer?, _ obj: UnsafeMutableRawPointer?, _ mid: Int32) {
    let context = CallbackContext.from(obj)
    context.unacknowledged.subtract(1, ordering: .relaxed)
    context.emit(.published(messageID: mid))
}

func onDisconnect(_ mosq: OpaquePointer?, _ obj: UnsafeMutableRawPointer?, _ rc: Int32) {
    let context = CallbackContext.from(obj)
    context.connected = false
}

func onLog(_ mosq: OpaquePointer?, _ obj: UnsafeMutableRawPointer?, _ level: Int32, _ text: UnsafePointer<CChar>?) {
    guard let text else { return }
    let context = CallbackContext.from(obj)
    // libmosquitto's own errors (OpenSSL's "certificate verify failed" among them) say what went wrong.
    switch level {
    case Int32(MOSQ_LOG_ERR):
        context.logger.error("libmosquitto: \(String(cString: text))")
        TLSDiagnosis.explain(String(cString: text), of: mosq, to: context.logger)
    case Int32(MOSQ_LOG_WARNING):
        context.logger.warning("libmosquitto: \(String(cString: text))")
    default:
        break
    }
}
