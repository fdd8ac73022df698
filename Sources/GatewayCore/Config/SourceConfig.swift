/// One `[[source]]`: a sensor-side MQTT broker, the topics to subscribe to there, and how to turn
/// a message into readings.
///
/// Topics, templates and JSON paths are held parsed; `sensor` and `metric` have been checked
/// against `template`'s fields, so rendering them from a matched topic never misses a field.
public struct SourceConfig: Sendable, Equatable {
    /// Unique among sources; names the source in logs and `streetgate status`.
    public var name: String
    public var url: BrokerURL
    /// MQTT topic filters to subscribe to; at least one.
    public var topics: [TopicFilter]
    /// Names the topic levels: `city/{city}/{domain}/{device}/{metric}`.
    public var template: TopicTemplate
    /// The sensor id, built from the template's fields: `{city}/{domain}/{device}`.
    public var sensor: NameTemplate
    /// The metric name, built from the template's fields: `{metric}`.
    public var metric: NameTemplate
    public var format: PayloadFormat
    /// JSON: the dotted path of the number in the payload (`value`).
    public var valuePath: JSONPath
    /// JSON: the dotted path of the measurement time (`time`); nil when the file says `time = ""`,
    /// and then, like when the payload has no such field, the time received counts.
    public var timePath: JSONPath?
    public var username: String?
    /// A file holding the password, so the configuration itself holds no secret.
    public var passwordFile: String?
    /// CA certificates for `mqtts://`; nil: the system's.
    public var caFile: String?
    /// Client certificate and its key, for brokers that want one; both or neither.
    public var certFile: String?
    public var keyFile: String?
    /// nil: the daemon derives one from the gateway id and the source name.
    public var clientID: String?
    /// The MQTT keepalive, whole seconds from 5s to 1h.
    public var keepalive: Duration
    /// The QoS of the subscriptions, 0 or 1. With 1, a reading is acknowledged only once stored.
    public var qos: Int
    /// Larger payloads are dead-lettered unread (`max_payload`), 1KiB to 1MiB.
    public var maxPayload: Int
    /// "Connected but silent": when nothing arrived for this many times the source's usual interval
    /// between messages (`silence_factor`, 2 to 1000) while the connection looks up, the gateway
    /// resubscribes, and if that does not help, reconnects.
    public var silenceFactor: Int
    /// ... but never before this much silence (`silence_min`), so a chatty source's short pauses
    /// are not taken for a fault.
    public var silenceMinimum: Duration
    /// The MQTT version spoken to the broker (`mqtt_version`).
    public var mqttVersion: MQTTVersion
    /// How long readings may wait, unacknowledged, to be committed together (`commit_interval`,
    /// 0s to 5s; MQTT 5 only). Every commit writes whole pages to the SD card, so a few large
    /// commits wear it far less than many small ones.
    public var commitInterval: Duration

    public init(
        name: String,
        url: BrokerURL,
        topics: [TopicFilter],
        template: TopicTemplate = SourceConfig.defaultTemplate,
        sensor: NameTemplate = SourceConfig.defaultSensor,
        metric: NameTemplate = SourceConfig.defaultMetric,
        format: PayloadFormat = .json,
        valuePath: JSONPath = SourceConfig.defaultValuePath,
        timePath: JSONPath? = SourceConfig.defaultTimePath,
        username: String? = nil,
        passwordFile: String? = nil,
        caFile: String? = nil,
        certFile: String? = nil,
        keyFile: String? = nil,
        clientID: String? = nil,
        keepalive: Duration = .seconds(30),
        qos: Int = 1,
        maxPayload: Int = 16 << 10,
        silenceFactor: Int = 10,
        silenceMinimum: Duration = .seconds(120),
        mqttVersion: MQTTVersion = .v5,
        commitInterval: Duration = SourceConfig.defaultCommitInterval
    ) {
        self.name = name
        self.url = url
        self.topics = topics
        self.template = template
        self.sensor = sensor
        self.metric = metric
        self.format = format
        self.valuePath = valuePath
        self.timePath = timePath
        self.username = username
        self.passwordFile = passwordFile
        self.caFile = caFile
        self.certFile = certFile
        self.keyFile = keyFile
        self.clientID = clientID
        self.keepalive = keepalive
        self.qos = qos
        self.maxPayload = maxPayload
        self.silenceFactor = silenceFactor
        self.silenceMinimum = silenceMinimum
        self.mqttVersion = mqttVersion
        self.commitInterval = commitInterval
    }
}

extension SourceConfig {
    // Literals that parse, as the shipped-file test shows by reading them back from the file.
    public static let defaultTemplate = try! TopicTemplate("city/{city}/{domain}/{device}/{metric}")
    public static let defaultSensor = try! NameTemplate("{city}/{domain}/{device}", fieldsOf: defaultTemplate)
    public static let defaultMetric = try! NameTemplate("{metric}", fieldsOf: defaultTemplate)
    public static let defaultValuePath = try! JSONPath("value")
    public static let defaultTimePath = try! JSONPath("ts")
    public static let defaultCommitInterval = Duration.milliseconds(500)
}

/// The MQTT versions a source can speak. 5 by default: only MQTT 5 lets the gateway tell the
/// broker how many unacknowledged messages it may send (Receive Maximum), which holding readings
/// for a commit needs; 3.1.1 for brokers without it.
public enum MQTTVersion: String, Sendable, CaseIterable {
    case v5 = "5"
    case v311 = "3.1.1"
}
