/// Everything needed to open and keep one MQTT connection.
public struct MQTTClientOptions: Sendable, Hashable {
    public struct TLS: Sendable, Hashable {
        /// CA certificates (PEM) that the broker's certificate must chain to; nil uses the system's.
        public var caFile: String?
        public var certFile: String?
        public var keyFile: String?

        public init(caFile: String? = nil, certFile: String? = nil, keyFile: String? = nil) {
            self.caFile = caFile
            self.certFile = certFile
            self.keyFile = keyFile
        }
    }

    public struct Will: Sendable, Hashable {
        public var topic: String
        public var payload: [UInt8]
        public var qos: Int
        public var retain: Bool

        public init(topic: String, payload: [UInt8], qos: Int = 1, retain: Bool = true) {
            self.topic = topic
            self.payload = payload
            self.qos = qos
            self.retain = retain
        }
    }

    /// The MQTT version spoken. A subscriber holding its acknowledgements (`maxHold`) needs 5:
    /// only MQTT 5 lets the client say how many unacknowledged messages the broker may send it
    /// (Receive Maximum); under 3.1.1 that is the broker's setting (mosquitto: 20).
    public enum ProtocolVersion: String, Sendable, Hashable {
        case v311 = "3.1.1"
        case v5 = "5"
    }

    public var host: String
    public var port: Int
    /// Stable across restarts so the broker finds the persistent session again.
    public var clientID: String
    /// false: a persistent session; the broker queues QoS 1 messages while we are away.
    public var cleanSession: Bool
    public var keepalive: Duration
    public var username: String?
    public var password: String?
    public var tls: TLS?
    public var will: Will?
    /// Filters subscribed (QoS `subscriptionQoS`) after every successful connect.
    public var subscriptions: [String]
    public var subscriptionQoS: Int
    /// Reconnect delays: doubled after each failure from `minimum` up to `maximum`, with jitter.
    public var backoff: Backoff
    public var protocolVersion: ProtocolVersion
    /// The most messages handed over at once (one transaction); under MQTT 5 also the Receive
    /// Maximum, so that a full batch is exactly what the broker may send before it waits.
    public var maxBatch: Int
    /// How long a message read may wait, unacknowledged, for more to share its batch. Zero: each
    /// loop turn hands over what it read. Only honoured under MQTT 5, where the broker's window
    /// is ours to set; under 3.1.1 a broker window of 20 would throttle the stream to 20 a wait.
    public var maxHold: Duration
    /// The most of our own QoS 1 publishes in flight at once (libmosquitto queues the rest).
    public var maxInflight: Int
    /// Forget our unacknowledged publishes when a connection ends, instead of letting libmosquitto
    /// resend them after the reconnect: for a sender that keeps its own outbox and resends from it
    /// (each connection starts from a new handle).
    public var discardQueueOnDisconnect: Bool

    public init(
        host: String,
        port: Int,
        clientID: String,
        cleanSession: Bool = false,
        keepalive: Duration = .seconds(30),
        username: String? = nil,
        password: String? = nil,
        tls: TLS? = nil,
        will: Will? = nil,
        subscriptions: [String] = [],
        subscriptionQoS: Int = 1,
        backoff: Backoff = Backoff(),
        protocolVersion: ProtocolVersion = .v311,
        maxBatch: Int = 1000,
        maxHold: Duration = .zero,
        maxInflight: Int = 20,
        discardQueueOnDisconnect: Bool = false
    ) {
        self.host = host
        self.port = port
        self.clientID = clientID
        self.cleanSession = cleanSession
        self.keepalive = keepalive
        self.username = username
        self.password = password
        self.tls = tls
        self.will = will
        self.subscriptions = subscriptions
        self.subscriptionQoS = subscriptionQoS
        self.backoff = backoff
        self.protocolVersion = protocolVersion
        self.maxBatch = maxBatch
        self.maxHold = maxHold
        self.maxInflight = maxInflight
        self.discardQueueOnDisconnect = discardQueueOnDisconnect
    }
}
