/// Whether an alert event opens an alert or closes it.
public enum AlertState: String, Sendable, Codable {
    case raised, cleared
}

// Severities are written by name, as in the config and the uplink.
extension AlertSeverity: Codable {}

/// The uplink's alert event (`../shared/contract.md`), and what the store keeps.
///
/// An alert is raised once and cleared once; both events carry the same `id`,
/// `"<rule>/<sensor>/<raise time in epoch ms>"`. Encoded as the contract's fields, with `at` in
/// RFC 3339; the uplink adds `schema` and `gateway`.
public struct AlertEvent: Sendable, Hashable, Codable {
    public var id: String
    public var rule: String
    public var sensor: String
    public var metric: String
    public var severity: AlertSeverity
    public var state: AlertState
    /// When it was raised (state raised) or cleared (state cleared).
    public var at: Timestamp
    /// The reading that raised or cleared it; nil when no reading did (`silent`, or a clear the
    /// clock decided).
    public var value: Double?
    /// The rule's threshold; nil for kinds without one (`flatline`, `silent`).
    public var threshold: Double?

    public init(
        id: String, rule: String, sensor: String, metric: String, severity: AlertSeverity,
        state: AlertState, at: Timestamp, value: Double?, threshold: Double?
    ) {
        self.id = id
        self.rule = rule
        self.sensor = sensor
        self.metric = metric
        self.severity = severity
        self.state = state
        self.at = at
        self.value = value
        self.threshold = threshold
    }

    /// `"<rule>/<sensor>/<raise time in epoch ms>"`: unique, because a rule holds one alert at a
    /// time per series and raises it at a reading's or tick's time.
    public static func id(rule: String, sensor: String, raisedAt: Timestamp) -> String {
        "\(rule)/\(sensor)/\(raisedAt.milliseconds)"
    }

    private enum CodingKeys: String, CodingKey {
        case id, rule, sensor, metric, severity, state, at, value, threshold
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        rule = try container.decode(String.self, forKey: .rule)
        sensor = try container.decode(String.self, forKey: .sensor)
        metric = try container.decode(String.self, forKey: .metric)
        severity = try container.decode(AlertSeverity.self, forKey: .severity)
        state = try container.decode(AlertState.self, forKey: .state)
        let text = try container.decode(String.self, forKey: .at)
        guard let at = Timestamp(rfc3339: text) else {
            throw DecodingError.dataCorruptedError(
                forKey: .at, in: container, debugDescription: "expected an RFC 3339 time, got \"\(text)\"")
        }
        self.at = at
        value = try container.decodeIfPresent(Double.self, forKey: .value)
        threshold = try container.decodeIfPresent(Double.self, forKey: .threshold)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(rule, forKey: .rule)
        try container.encode(sensor, forKey: .sensor)
        try container.encode(metric, forKey: .metric)
        try container.encode(severity, forKey: .severity)
        try container.encode(state, forKey: .state)
        try container.encode(at.rfc3339, forKey: .at)
        try container.encodeIfPresent(value, forKey: .value)
        try container.encodeIfPresent(threshold, forKey: .threshold)
    }
}
