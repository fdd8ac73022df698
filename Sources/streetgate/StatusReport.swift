import GatewayCore
import GatewayDaemon
import GatewayStore

/// What `streetgate status --json` prints: a stable, documented shape (docs/status-json.md), with
/// times as RFC 3339 strings, field names in snake_case, and every field always present (null when
/// unknown). The text screen is drawn from the same value.
struct StatusReport: Encodable {
    static let schema = "streetgate/status-report/2"

    struct Daemon: Encodable {
        /// running | stopped | unknown
        var state: String
        var running: Bool
        @Null var pid: Int32?
        @Null var started: String?
        @Null var uptime_s: Double?
        /// Why the state is unknown.
        @Null var detail: String?
    }

    struct Clock: Encodable {
        @Null var synchronised: Bool?
        @Null var max_error_us: Int?
    }

    struct Buffer: Encodable {
        var path: String
        var exists: Bool
        var rows: Int64
        var bytes: Int64
        @Null var oldest_reading: String?
        @Null var newest_reading: String?
        @Null var oldest_age_s: Double?
        var counters: [String: Int64]
    }

    struct Trend: Encodable {
        var start: String
        var bucket_s: Int
        var buckets: Int
        /// aggregates | readings | none
        var source: String
    }

    struct SensorAlert: Encodable {
        var id: String
        var rule: String
        var severity: String
    }

    struct Sensor: Encodable {
        var sensor: String
        var metric: String
        var last_value: Double
        var last_time: String
        var age_s: Double
        var count: Int64
        var stale: Bool
        var trend: [Double?]
        @Null var active_alert: SensorAlert?
    }

    struct Alert: Encodable {
        var id: String
        var rule: String
        var sensor: String
        var metric: String
        var severity: String
        var raised_at: String
        var age_s: Double
        @Null var value: Double?
        @Null var threshold: Double?
    }

    struct Hub: Encodable {
        var name: String
        var connected: Bool
        @Null var changed_at: String?
        @Null var last_ack: String?
        var next_seq: Int
        var unacknowledged: Int
        var pending_aggregates: Int
        var pending_alerts: Int
        var backlog_batches: Int
        @Null var oldest_pending: String?
        var dropped_aggregates: Int
        var dropped_alerts: Int
    }

    struct DeadLetters: Encodable {
        struct Recent: Encodable {
            var at: String
            var source: String
            var topic: String
            var reason: String
            var detail: String
            var payload_prefix: String
            var size: Int
        }

        var by_reason: [String: Int64]
        var recent: [Recent]
    }

    /// A reading older than this marks its sensor stale.
    static let staleAfterSeconds: Double = 15 * 60

    var schema = StatusReport.schema
    var gateway: String
    var version: String
    var at: String
    var daemon: Daemon
    var clock: Clock
    var buffer: Buffer
    var trend: Trend
    var sensors: [Sensor]
    var active_alerts: [Alert]
    var hubs: [Hub]
    var dead_letters: DeadLetters

    init(
        config: GatewayConfig, databasePath: String, now: Timestamp, daemon runState: RunState, clock clockSync: ClockSync,
        status: BufferStatus?, trends: Trends, hubs deliveries: [HubDelivery]
    ) {
        func age(_ time: Timestamp) -> Double {
            Double(now.milliseconds - time.milliseconds) / 1000
        }
        gateway = config.gateway.id
        version = StreetGateVersion.current
        at = now.rfc3339
        switch runState {
        case .running(let pid, let started):
            daemon = Daemon(state: "running", running: true, pid: pid, started: started.rfc3339, uptime_s: age(started), detail: nil)
        case .stopped:
            daemon = Daemon(state: "stopped", running: false, pid: nil, started: nil, uptime_s: nil, detail: nil)
        case .unknown(let reason):
            daemon = Daemon(state: "unknown", running: false, pid: nil, started: nil, uptime_s: nil, detail: reason)
        }
        clock = Clock(synchronised: clockSync.synchronised, max_error_us: clockSync.maxErrorMicroseconds)
        buffer = Buffer(
            path: databasePath, exists: status != nil, rows: status?.rows ?? 0, bytes: status?.bytes ?? 0,
            oldest_reading: status?.oldestReading?.rfc3339, newest_reading: status?.newestReading?.rfc3339,
            oldest_age_s: status?.oldestReading.map(age), counters: status?.counters ?? [:]
        )
        trend = Trend(
            start: trends.start.rfc3339, bucket_s: Int(trends.bucketMilliseconds / 1000), buckets: trends.buckets,
            source: trends.source.rawValue
        )

        // The most severe active alert of each series, the earliest raised among equals.
        var alertBySeries: [Trends.Key: ActiveAlert] = [:]
        for alert in status?.activeAlerts ?? [] {
            let key = Trends.Key(sensor: alert.sensor, metric: alert.metric)
            if let held = alertBySeries[key], held.severity.rank >= alert.severity.rank { continue }
            alertBySeries[key] = alert
        }
        let noTrend = [Double?](repeating: nil, count: trends.buckets)
        sensors = (status?.sensors ?? []).map { sensor in
            let key = Trends.Key(sensor: sensor.sensor, metric: sensor.metric)
            let sensorAge = age(sensor.lastTime)
            return Sensor(
                sensor: sensor.sensor, metric: sensor.metric, last_value: sensor.lastValue,
                last_time: sensor.lastTime.rfc3339, age_s: sensorAge, count: sensor.count,
                stale: sensorAge > Self.staleAfterSeconds, trend: trends.means[key] ?? noTrend,
                active_alert: alertBySeries[key].map { SensorAlert(id: $0.id, rule: $0.rule, severity: $0.severity.rawValue) }
            )
        }
        active_alerts = (status?.activeAlerts ?? []).map { alert in
            Alert(
                id: alert.id, rule: alert.rule, sensor: alert.sensor, metric: alert.metric, severity: alert.severity.rawValue,
                raised_at: alert.raisedAt.rfc3339, age_s: age(alert.raisedAt), value: alert.value, threshold: alert.threshold
            )
        }
        hubs = deliveries.map { hub in
            Hub(
                name: hub.name, connected: hub.connected, changed_at: hub.changedAt?.rfc3339, last_ack: hub.lastAck?.rfc3339,
                next_seq: hub.nextSeq, unacknowledged: hub.unacknowledged, pending_aggregates: hub.pendingAggregates,
                pending_alerts: hub.pendingAlerts, backlog_batches: hub.backlogBatches,
                oldest_pending: hub.oldestPending?.rfc3339, dropped_aggregates: hub.droppedAggregates,
                dropped_alerts: hub.droppedAlerts
            )
        }
        dead_letters = DeadLetters(
            by_reason: status?.deadLettersByReason ?? [:],
            recent: (status?.recentDeadLetters ?? []).map { letter in
                .init(at: letter.at.rfc3339, source: letter.source, topic: letter.topic, reason: letter.reason,
                      detail: letter.detail, payload_prefix: letter.payloadPrefix, size: letter.size)
            }
        )
    }
}

extension AlertSeverity {
    /// info < minor < major < critical.
    var rank: Int {
        switch self {
        case .info: 0
        case .minor: 1
        case .major: 2
        case .critical: 3
        }
    }
}

/// An optional that encodes as `null` rather than leaving its key out, so the JSON keeps one shape.
@propertyWrapper
struct Null<Value: Encodable>: Encodable {
    var wrappedValue: Value?

    init(wrappedValue: Value?) {
        self.wrappedValue = wrappedValue
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        if let wrappedValue {
            try container.encode(wrappedValue)
        } else {
            try container.encodeNil()
        }
    }
}
