import GatewayCore

/// An alert raised and not yet cleared, as `status` lists it.
public struct ActiveAlert: Sendable, Equatable, Codable {
    /// The alert id shared by its raise and its clear (`AlertEvent.id`).
    public var id: String
    public var rule: String
    public var sensor: String
    public var metric: String
    public var severity: AlertSeverity
    public var raisedAt: Timestamp
    /// The reading that raised it, if one did.
    public var value: Double?
    /// The rule's threshold, for kinds that have one.
    public var threshold: Double?

    public init(
        id: String, rule: String, sensor: String, metric: String, severity: AlertSeverity,
        raisedAt: Timestamp, value: Double?, threshold: Double?
    ) {
        self.id = id
        self.rule = rule
        self.sensor = sensor
        self.metric = metric
        self.severity = severity
        self.raisedAt = raisedAt
        self.value = value
        self.threshold = threshold
    }

    /// The alert its raise event describes.
    init(raised event: AlertEvent) {
        self.init(
            id: event.id, rule: event.rule, sensor: event.sensor, metric: event.metric, severity: event.severity,
            raisedAt: event.at, value: event.value, threshold: event.threshold
        )
    }
}
