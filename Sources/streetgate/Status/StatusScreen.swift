import Foundation
import GatewayCore

/// The text form of `streetgate status`: one screen, at most about 100 columns, for a technician
/// on a ladder. In order: who and what runs, the clock, the sensors with a small trend, the active
/// alerts, the buffer, the hubs, the dead letters.
struct StatusScreen {
    /// Above this many sensors, only the most recently active are listed.
    static let sensorRows = 40
    /// Above this many active alerts, only the most severe (then the most recent) are listed.
    static let alertRows = 10

    let report: StatusReport
    let now: Timestamp
    let style: TerminalStyle

    func render() -> String {
        var lines: [String] = []
        lines.append("StreetGate \(report.version) · gateway \(report.gateway) · \(Self.clockTime(report.at))")
        lines.append(label("Daemon") + daemonLine())
        lines.append(label("Clock") + clockLine())
        guard report.buffer.exists else {
            lines.append(label("Buffer") + "none yet at \(report.buffer.path) (the daemon has not run with this data_dir)")
            return lines.joined(separator: "\n") + "\n"
        }
        lines.append("")
        lines += sensorLines()
        lines.append("")
        lines += alertLines()
        lines.append("")
        lines += bufferLines()
        if !report.hubs.isEmpty {
            lines.append("")
            lines += hubLines()
        }
        lines.append("")
        lines += deadLetterLines()
        return lines.joined(separator: "\n") + "\n"
    }

    private func label(_ text: String) -> String {
        text.padding(toLength: 11, withPad: " ", startingAt: 0)
    }

    private func daemonLine() -> String {
        let daemon = report.daemon
        switch daemon.state {
        case "running":
            let pid = daemon.pid.map { "pid \($0)" } ?? "pid ?"
            let uptime = daemon.uptime_s.map { ", up \(Self.uptime($0))" } ?? ""
            let since = daemon.started.map { " (since \(Self.clockTime($0)))" } ?? ""
            return style.paint("running", .green) + ", \(pid)\(uptime)\(since)"
        case "stopped":
            return style.paint("stopped", .yellow) + (report.buffer.exists ? " (figures below are as it left them)" : "")
        default:
            return style.paint("unknown", .yellow) + ": \(daemon.detail ?? "")"
        }
    }

    private func clockLine() -> String {
        switch report.clock.synchronised {
        case true?:
            let error = report.clock.max_error_us.map { " (max error \(Self.microseconds($0)))" } ?? ""
            return "synchronised" + error
        case false?:
            return style.paint("NOT synchronised", .red) + ": times received may be wrong (enable systemd-timesyncd or chrony)"
        case nil:
            return "unknown (the kernel did not answer adjtimex)"
        }
    }

    private func sensorLines() -> [String] {
        let all = report.sensors
        let stale = all.filter(\.stale).count
        var heading = "Sensors (\(all.count)"
        if stale > 0 { heading += ", " + style.paint("\(stale) stale", .yellow) + ": no reading for 15m" }
        heading += ")"
        var lines = [heading]
        guard !all.isEmpty else {
            lines.append("  none yet")
            return lines
        }
        var shown = all
        if all.count > Self.sensorRows {
            // The most recently active, then back in name order.
            shown = all.enumerated()
                .sorted { ($0.element.age_s, $0.offset) < ($1.element.age_s, $1.offset) }
                .prefix(Self.sensorRows)
                .sorted { $0.offset < $1.offset }
                .map(\.element)
        }
        let span = report.trend.bucket_s * report.trend.buckets
        var table = TextTable([
            .init(title: "SENSOR", maxWidth: 32),
            .init(title: "METRIC", maxWidth: 12),
            .init(title: "LAST", maxWidth: 10, alignRight: true),
            .init(title: "AGE", maxWidth: 5, alignRight: true),
            .init(title: span == 3600 ? "LAST HOUR" : "LAST \(Self.duration(Double(span)))", maxWidth: max(report.trend.buckets, 9)),
            .init(title: "ALERT", maxWidth: 16),
        ])
        for sensor in shown {
            let alert = sensor.active_alert
            table.append([
                .init(sensor.sensor),
                .init(sensor.metric),
                .init(Self.number(sensor.last_value, width: 10)),
                .init(Self.duration(sensor.age_s), sensor.stale ? .yellow : nil),
                .init(Sparkline.render(sensor.trend)),
                .init(alert?.rule ?? "", alert.map { Self.alertColour($0.severity) } ?? nil),
            ])
        }
        lines += table.lines(style: style)
        if shown.count < all.count {
            lines.append("  … and \(all.count - shown.count) more (streetgate status --json lists all)")
        }
        return lines
    }

    private func alertLines() -> [String] {
        let all = report.active_alerts
        var lines = ["Active alerts (\(all.count))"]
        guard !all.isEmpty else {
            lines.append("  none")
            return lines
        }
        let shown = all.sorted { first, second in
            let ranks = (Self.severityRank(first.severity), Self.severityRank(second.severity))
            return ranks.0 != ranks.1 ? ranks.0 > ranks.1 : first.age_s < second.age_s
        }.prefix(Self.alertRows)
        var table = TextTable([
            .init(title: "SEVERITY", maxWidth: 8),
            .init(title: "RULE", maxWidth: 20),
            .init(title: "SENSOR", maxWidth: 32),
            .init(title: "METRIC", maxWidth: 12),
            .init(title: "SINCE", maxWidth: 5, alignRight: true),
            .init(title: "VALUE", maxWidth: 10, alignRight: true),
        ])
        for alert in shown {
            table.append([
                .init(alert.severity.uppercased(), Self.alertColour(alert.severity)),
                .init(alert.rule),
                .init(alert.sensor),
                .init(alert.metric),
                .init(Self.duration(alert.age_s)),
                .init(alert.value.map { Self.number($0, width: 10) } ?? "-"),
            ])
        }
        lines += table.lines(style: style)
        if shown.count < all.count {
            lines.append("  … and \(all.count - shown.count) more, less severe or older (streetgate status --json lists all)")
        }
        return lines
    }

    static func severityRank(_ severity: String) -> Int {
        AlertSeverity(rawValue: severity)?.rank ?? -1
    }

    private func bufferLines() -> [String] {
        let buffer = report.buffer
        var line = label("Buffer") + "\(buffer.rows) readings, \(Self.bytes(buffer.bytes))"
        if let oldest = buffer.oldest_age_s {
            line += ", oldest \(Self.duration(oldest)) ago"
        }
        var lines = [line]
        // What went, and why: every counter but the stored totals.
        let losses = buffer.counters.filter { $0.value > 0 && !$0.key.hasSuffix(".stored") }.sorted { $0.key < $1.key }
        if !losses.isEmpty {
            let text = losses.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            lines.append(String(repeating: " ", count: 11) + TextTable.fit(text, 88))
        }
        return lines
    }

    private func hubLines() -> [String] {
        let running = report.daemon.running
        var table = TextTable([
            .init(title: "HUB", maxWidth: 16),
            .init(title: "STATE", maxWidth: 14),
            .init(title: "SINCE", maxWidth: 5, alignRight: true),
            .init(title: "LAST ACK", maxWidth: 8, alignRight: true),
            .init(title: "BACKLOG", maxWidth: 9, alignRight: true),
            .init(title: "OLDEST", maxWidth: 6, alignRight: true),
            .init(title: "NEXT SEQ", maxWidth: 10, alignRight: true),
            .init(title: "DROPPED", maxWidth: 18),
        ])
        func ago(_ text: String?) -> String {
            guard let text, let time = Timestamp(rfc3339: text) else { return "never" }
            return Self.duration(Double(now.milliseconds - time.milliseconds) / 1000)
        }
        for hub in report.hubs {
            let state: TextTable.Cell
            if !running {
                // The buffer holds the state the daemon last recorded, not the hub's state now.
                state = .init(report.daemon.state == "stopped" ? "daemon stopped" : "daemon unknown")
            } else if hub.connected {
                state = .init("connected", .green)
            } else {
                state = .init("DISCONNECTED", .red)
            }
            let dropped = hub.dropped_aggregates + hub.dropped_alerts == 0
                ? "0" : "\(hub.dropped_aggregates) agg, \(hub.dropped_alerts) alerts"
            table.append([
                .init(hub.name),
                state,
                .init(running && hub.changed_at != nil ? ago(hub.changed_at) : "-"),
                .init(ago(hub.last_ack)),
                .init("\(hub.backlog_batches)"),
                .init(hub.oldest_pending == nil ? "-" : ago(hub.oldest_pending)),
                .init("\(hub.next_seq)"),
                .init(dropped, hub.dropped_aggregates + hub.dropped_alerts > 0 ? .yellow : nil),
            ])
        }
        return ["Hubs (\(report.hubs.count))"] + table.lines(style: style)
    }

    private func deadLetterLines() -> [String] {
        let letters = report.dead_letters
        let total = letters.by_reason.values.reduce(0, +)
        var heading = "Dead letters (\(total))"
        if total > 0 {
            heading += ": " + letters.by_reason.filter { $0.value > 0 }.sorted { $0.key < $1.key }
                .map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        }
        var lines = [TextTable.fit(heading, 100)]
        for letter in letters.recent {
            let line = "  \(Self.clockTime(letter.at)) \(letter.source) \(letter.topic): \(letter.reason): \(letter.detail)"
            lines.append(TextTable.fit(line, 100))
        }
        return lines
    }

    // MARK: - Formatting

    static func alertColour(_ severity: String) -> TerminalStyle.Colour? {
        severity == AlertSeverity.critical.rawValue || severity == AlertSeverity.major.rawValue ? .red : nil
    }

    /// "2026-11-26 13:59:12Z" from an RFC 3339 time: to the second, easy to read aloud.
    static func clockTime(_ rfc3339: String) -> String {
        guard rfc3339.count >= 19 else { return rfc3339 }
        let characters = Array(rfc3339)
        return String(characters[0..<10]) + " " + String(characters[11..<19]) + "Z"
    }

    /// A number in at most `width` characters: exact when it fits, else four significant digits.
    static func number(_ value: Double, width: Int = 12) -> String {
        let rounded = (value * 1000).rounded() / 1000
        let exact = rounded == rounded.rounded() && abs(rounded) < 1e15 ? String(Int64(rounded)) : "\(rounded)"
        if exact.count <= width { return exact }
        return compact(value)
    }

    /// Four significant digits, with an exponent only when needed.
    private static func compact(_ value: Double) -> String {
        guard value != 0, value.isFinite else { return "\(value)" }
        let exponent = Int(floor(log10(abs(value))))
        if exponent >= -3 && exponent < 9 {
            let decimals = max(0, 3 - exponent)
            let scale = pow(10, Double(decimals))
            let scaled = (value * scale).rounded() / scale
            return decimals == 0 ? String(Int64(scaled)) : String(scaled)
        }
        let mantissa = (value / pow(10, Double(exponent)) * 1000).rounded() / 1000
        return "\(mantissa)e\(exponent)"
    }

    /// "4s", "12m", "3h", "2d"; "-" for a time in the future (a sensor with a fast clock).
    static func duration(_ seconds: Double) -> String {
        switch seconds {
        case ..<0: "-"
        case ..<60: "\(Int(seconds))s"
        case ..<3600: "\(Int(seconds / 60))m"
        case ..<86400: "\(Int(seconds / 3600))h"
        default: "\(Int(seconds / 86400))d"
        }
    }

    static func microseconds(_ value: Int) -> String {
        switch value {
        case ..<1000: "\(value) µs"
        case ..<1_000_000: "\(value / 1000) ms"
        default: "\(value / 1_000_000) s"
        }
    }

    static func bytes(_ count: Int64) -> String {
        switch count {
        case ..<(1 << 10): "\(count) B"
        case ..<(1 << 20): "\(count >> 10) KiB"
        case ..<(1 << 30): "\(count >> 20) MiB"
        default: "\(count >> 30).\((count % (1 << 30)) * 10 >> 30) GiB"
        }
    }

    /// "12m5s", "3h12m", "2d3h".
    static func uptime(_ seconds: Double) -> String {
        let total = max(0, Int(seconds))
        switch total {
        case ..<60: return "\(total)s"
        case ..<3600: return "\(total / 60)m\(total % 60)s"
        case ..<86400: return "\(total / 3600)h\(total % 3600 / 60)m"
        default: return "\(total / 86400)d\(total % 86400 / 3600)h"
        }
    }
}
