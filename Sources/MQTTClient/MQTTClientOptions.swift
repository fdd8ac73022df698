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
    /// The most messages read in one loop turn before they are handed over (one transaction).
    public var maxBatch: Int
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
        maxBatch: Int = 1000,
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
        self.maxBatch = maxBatch
        self.maxInflight = maxInflight
        self.discardQueueOnDisconnect = discardQueueOnDisconnect
    }
}
