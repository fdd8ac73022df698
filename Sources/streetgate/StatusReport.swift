import GatewayCore
import GatewayStore

/// What `streetgate status --json` prints: a stable, documented shape (docs/status.md), with times
/// as RFC 3339 strings and field names in snake_case.
struct StatusReport: Encodable {
    struct Buffer: Encodable {
        var path: String
        var exists: Bool
        var rows: Int64
        var bytes: Int64
        var oldest_reading: String?
        var newest_reading: String?
        var counters: [String: Int64]
    }

    struct Sensor: Encodable {
        var sensor: String
        var metric: String
        var last_value: Double
        var last_time: String
        var age_s: Double
        var count: Int64
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

    struct Alert: Encodable {
        var id: String
        var rule: String
        var sensor: String
        var metric: String
        var severity: String
        var raised_at: String
        var value: Double?
        var threshold: Double?
    }

    var schema = "streetgate/status-report/1"
    var gateway: String
    var version: String
    var at: String
    var buffer: Buffer
    var sensors: [Sensor]
    var active_alerts: [Alert]
    var dead_letters: DeadLetters

    init(config: GatewayConfig, databasePath: String, status: BufferStatus?, now: Timestamp) {
        gateway = config.gateway.id
        version = StreetGateVersion.current
        at = now.rfc3339
        buffer = Buffer(
            path: databasePath, exists: status != nil, rows: status?.rows ?? 0, bytes: status?.bytes ?? 0,
            oldest_reading: status?.oldestReading?.rfc3339, newest_reading: status?.newestReading?.rfc3339,
            counters: status?.counters ?? [:]
        )
        sensors = (status?.sensors ?? []).map { sensor in
            Sensor(
                sensor: sensor.sensor, metric: sensor.metric, last_value: sensor.lastValue,
                last_time: sensor.lastTime.rfc3339,
                age_s: Double(now.milliseconds - sensor.lastTime.milliseconds) / 1000, count: sensor.count
            )
        }
        active_alerts = (status?.activeAlerts ?? []).map { alert in
            Alert(id: alert.id, rule: alert.rule, sensor: alert.sensor, metric: alert.metric, severity: alert.severity.rawValue,
                  raised_at: alert.raisedAt.rfc3339, value: alert.value, threshold: alert.threshold)
        }
        dead_letters = DeadLetters(
            by_reason: status?.deadLettersByReason ?? [:],
            recent: (status?.recentDeadLetters ?? []).map { letter in
                .init(at: letter.at.rfc3339, source: letter.source, topic: letter.topic, reason: letter.reason,
                      detail: letter.detail, payload_prefix: letter.payloadPrefix, size: letter.size)
            }
        )
    }

    func text(now: Timestamp) -> String {
        var lines: [String] = []
        lines.append("StreetGate \(version) — gateway \(gateway) — \(at)")
        lines.append("")
        if !buffer.exists {
            lines.append("Buffer: none yet at \(buffer.path) (the daemon has not run with this data_dir)")
            return lines.joined(separator: "\n") + "\n"
        }
        lines.append("Buffer: \(buffer.rows) readings, \(Self.bytes(buffer.bytes)), oldest \(buffer.oldest_reading ?? "-"), newest \(buffer.newest_reading ?? "-")")
        let dropped = buffer.counters.filter { $0.value > 0 }.sorted { $0.key < $1.key }
        if !dropped.isEmpty {
            lines.append("        " + dropped.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
        }
        lines.append("")
        lines.append("Sensors: \(sensors.count)")
        let table = [["SENSOR", "METRIC", "LAST", "AGE", "COUNT"]] + sensors.map { sensor in
            [sensor.sensor, sensor.metric, Self.number(sensor.last_value), Self.age(sensor.age_s), "\(sensor.count)"]
        }
        lines.append(contentsOf: Self.columns(table).map { "  " + $0 })
        lines.append("")
        lines.append("Active alerts: \(active_alerts.count)")
        for alert in active_alerts {
            let value = alert.value.map { " value \(Self.number($0))" } ?? ""
            let threshold = alert.threshold.map { " threshold \(Self.number($0))" } ?? ""
            lines.append("  \(alert.severity.uppercased()) \(alert.rule) \(alert.sensor) \(alert.metric) since \(alert.raised_at)\(value)\(threshold)")
        }
        lines.append("")
        let deadTotal = dead_letters.by_reason.values.reduce(0, +)
        lines.append("Dead letters: \(deadTotal)" + (deadTotal == 0 ? "" : " (" + dead_letters.by_reason.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ") + ")"))
        for letter in dead_letters.recent {
            lines.append("  \(letter.at) \(letter.source) \(letter.topic): \(letter.reason): \(letter.detail)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func columns(_ rows: [[String]]) -> [String] {
        guard let first = rows.first else { return [] }
        let widths = first.indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { index, cell in
                index == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[index] - cell.count)
            }.joined(separator: "  ")
        }
    }

    static func number(_ value: Double) -> String {
        let rounded = (value * 1000).rounded() / 1000
        return rounded == rounded.rounded() && abs(rounded) < 1e15 ? String(Int64(rounded)) : "\(rounded)"
    }

    static func age(_ seconds: Double) -> String {
        switch seconds {
        case ..<0: "future"
        case ..<60: "\(Int(seconds))s"
        case ..<3600: "\(Int(seconds / 60))m"
        case ..<86400: "\(Int(seconds / 3600))h"
        default: "\(Int(seconds / 86400))d"
        }
    }

    static func bytes(_ count: Int64) -> String {
        switch count {
        case ..<(1 << 10): "\(count) B"
        case ..<(1 << 20): "\(count >> 10) KiB"
        default: "\(count >> 20) MiB"
        }
    }
}
