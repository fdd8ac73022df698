/// What `<prefix>/status` says about the gateway (retained, QoS 1).
///
/// The offline form is registered as the MQTT will when the gateway connects, before it knows when
/// it will be published, so the will has no `at`; a clean stop publishes the offline form with `at`.
public struct GatewayStatusInfo: Sendable, Hashable {
    public enum State: String, Sendable, Hashable {
        case online, offline
    }

    public var gateway: String
    public var state: State
    /// The `streetgate` version, such as `0.1.0`.
    public var version: String
    /// When the running process started.
    public var started: Timestamp
    public var configHash: ConfigFingerprint
    /// When this status was published; nil in the will.
    public var at: Timestamp?

    public init(
        gateway: String, state: State, version: String, started: Timestamp, configHash: ConfigFingerprint,
        at: Timestamp?
    ) {
        self.gateway = gateway
        self.state = state
        self.version = version
        self.started = started
        self.configHash = configHash
        self.at = at
    }
}
