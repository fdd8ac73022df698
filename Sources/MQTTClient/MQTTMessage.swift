/// A message received from a broker, copied out of libmosquitto's memory (which is freed once the
/// callback returns).
public struct MQTTMessage: Sendable, Hashable {
    public var topic: String
    public var payload: [UInt8]
    public var qos: Int
    public var retain: Bool

    public init(topic: String, payload: [UInt8], qos: Int = 1, retain: Bool = false) {
        self.topic = topic
        self.payload = payload
        self.qos = qos
        self.retain = retain
    }
}

/// What a connection reports as it lives: for logs, readiness (`READY=1` waits for `.subscribed`) and tests.
public enum MQTTEvent: Sendable, Hashable {
    /// CONNACK accepted; `sessionPresent` says the broker kept our persistent session.
    case connected(sessionPresent: Bool)
    /// The broker answered CONNACK with a refusal (bad credentials, not authorised, …).
    case refused(reason: String)
    /// Every configured subscription was granted (after each connect).
    case subscribed
    /// The broker refused a subscription: the granted QoS was 0x80.
    case subscriptionRefused(filter: String)
    /// The connection ended; it will be retried after `retryIn` unless the client is stopping.
    case disconnected(reason: String, retryIn: Duration?)
    /// A QoS 1 publish of ours was acknowledged (PUBACK), identified by the id `publish` returned.
    case published(messageID: Int32)
    /// The loop thread has ended; no more events follow.
    case stopped
}
