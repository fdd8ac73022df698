/// One `[[hub]]`: a server that receives this gateway's aggregates, alerts, status and health over
/// MQTT. Each hub keeps its own delivery cursor, so one that is away does not hold up the others.
public struct HubConfig: Sendable, Equatable {
    /// Unique among hubs; names the hub's cursor in the buffer, so renaming it resends its backlog.
    public var name: String
    public var url: BrokerURL
    /// The topics' common start; `{gateway}` stands for the gateway id (`topic_prefix`).
    public var topicPrefix: String
    public var username: String?
    public var passwordFile: String?
    public var caFile: String?
    public var certFile: String?
    public var keyFile: String?
    /// At most this many aggregates in one batch (`max_batch`), 1 to 10000.
    public var maxBatch: Int
    /// At most this many QoS 1 messages awaiting the hub's PUBACK (`max_inflight`), 1 to 1000.
    public var maxInflight: Int

    public init(
        name: String,
        url: BrokerURL,
        topicPrefix: String = "streetgate/{gateway}",
        username: String? = nil,
        passwordFile: String? = nil,
        caFile: String? = nil,
        certFile: String? = nil,
        keyFile: String? = nil,
        maxBatch: Int = 500,
        maxInflight: Int = 20
    ) {
        self.name = name
        self.url = url
        self.topicPrefix = topicPrefix
        self.username = username
        self.passwordFile = passwordFile
        self.caFile = caFile
        self.certFile = certFile
        self.keyFile = keyFile
        self.maxBatch = maxBatch
        self.maxInflight = maxInflight
    }

    /// `topicPrefix` with `{gateway}` replaced: `streetgate/fes-medina-01`.
    public func topicPrefix(gateway id: String) -> String {
        topicPrefix.replacing(Self.gatewayPlaceholder, with: id)
    }

    static let gatewayPlaceholder = "{gateway}"
}
