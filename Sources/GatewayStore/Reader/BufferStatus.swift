import GatewayCore

/// What the buffer holds, as `streetgate status` shows it (and `--json` encodes it).
public struct BufferStatus: Sendable, Equatable, Codable {
    /// When the figures were taken.
    public var at: Timestamp
    /// Every sensor/metric pair, sorted by sensor then metric.
    public var sensors: [SensorStatus]
    /// Dead letters ever recorded, per reason (not limited by the dead letter cap).
    public var deadLettersByReason: [String: Int64]
    /// The latest few dead letters, newest first.
    public var recentDeadLetters: [DeadLetterSummary]
    /// Readings stored now.
    public var rows: Int64
    /// The database file plus its WAL, in bytes.
    public var bytes: Int64
    /// The earliest and latest reading times stored, if any.
    public var oldestReading: Timestamp?
    public var newestReading: Timestamp?
    /// Every `BufferCounter` by its name, 0 when it never happened.
    public var counters: [String: Int64]
    /// Alerts raised and not cleared, in the order they were raised.
    public var activeAlerts: [ActiveAlert]
    /// Alert events stored now (raises and clears).
    public var alertEvents: Int64
    /// Aggregates stored now (every revision is one).
    public var aggregates: Int64
    /// The start of the latest window with a stored aggregate, if any.
    public var latestAggregateStart: Timestamp?

    public init(
        at: Timestamp, sensors: [SensorStatus], deadLettersByReason: [String: Int64],
        recentDeadLetters: [DeadLetterSummary], rows: Int64, bytes: Int64,
        oldestReading: Timestamp?, newestReading: Timestamp?, counters: [String: Int64],
        activeAlerts: [ActiveAlert] = [], alertEvents: Int64 = 0, aggregates: Int64 = 0,
        latestAggregateStart: Timestamp? = nil
    ) {
        self.at = at
        self.sensors = sensors
        self.deadLettersByReason = deadLettersByReason
        self.recentDeadLetters = recentDeadLetters
        self.rows = rows
        self.bytes = bytes
        self.oldestReading = oldestReading
        self.newestReading = newestReading
        self.counters = counters
        self.activeAlerts = activeAlerts
        self.alertEvents = alertEvents
        self.aggregates = aggregates
        self.latestAggregateStart = latestAggregateStart
    }
}

/// One sensor/metric pair: its latest reading by time, and how many readings were ever accepted.
public struct SensorStatus: Sendable, Equatable, Codable {
    public var sensor: String
    public var metric: String
    public var lastValue: Double
    public var lastTime: Timestamp
    /// Readings accepted since the buffer was created, including those since deleted.
    public var count: Int64

    public init(sensor: String, metric: String, lastValue: Double, lastTime: Timestamp, count: Int64) {
        self.sensor = sensor
        self.metric = metric
        self.lastValue = lastValue
        self.lastTime = lastTime
        self.count = count
    }
}

/// A stored dead letter, with the start of its payload as text for a person to read.
public struct DeadLetterSummary: Sendable, Equatable, Codable {
    public var at: Timestamp
    public var source: String
    public var topic: String
    public var reason: String
    public var detail: String
    /// The stored payload prefix, decoded as UTF-8 with invalid bytes replaced.
    public var payloadPrefix: String
    /// The whole payload's size in bytes.
    public var size: Int

    public init(at: Timestamp, source: String, topic: String, reason: String, detail: String, payloadPrefix: String, size: Int) {
        self.at = at
        self.source = source
        self.topic = topic
        self.reason = reason
        self.detail = detail
        self.payloadPrefix = payloadPrefix
        self.size = size
    }
}
