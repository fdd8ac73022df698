import GatewayCore
import Testing

/// Payloads as the builders write them, from realistic figures and from the edges: negative and
/// huge numbers, names in other scripts, empty lists, missing times.
enum UplinkSamples {
    static let gateway = "fes-medina-01"

    static func contractAggregate() throws -> Aggregate {
        Aggregate(
            sensor: "fes/water/meter-0042", metric: "flow", start: try time("2026-11-26T13:59:00Z"), windowSeconds: 60,
            count: 12, min: 1.2, max: 3.4, sum: 25.2, last: 2, lastTime: try time("2026-11-26T13:59:55Z"), rev: 0)
    }

    static func contractAlert() throws -> AlertEvent {
        AlertEvent(
            id: "night-leak/fes/water/meter-0042/1764118800000", rule: "night-leak", sensor: "fes/water/meter-0042",
            metric: "flow", severity: .major, state: .raised, at: try time("2026-11-26T01:15:00Z"), value: 2.7,
            threshold: 2.0)
    }

    static func aggregate(
        sensor: String = "fes/water/meter-0042", metric: String = "flow", start: String = "2026-11-26T13:59:00Z",
        windowSeconds: Int = 60, values: [Double], rev: Int = 0
    ) throws -> Aggregate {
        let startTime = try time(start)
        var aggregate = Aggregate(
            first: Reading(sensor: sensor, metric: metric, time: startTime, value: values[0]), start: startTime,
            windowSeconds: windowSeconds)
        for (offset, value) in values.dropFirst().enumerated() {
            let at = Timestamp(milliseconds: startTime.milliseconds + Int64(offset + 1) % Int64(windowSeconds * 1000))
            aggregate = aggregate.adding(Reading(sensor: sensor, metric: metric, time: at, value: value))
        }
        aggregate.rev = rev
        return aggregate
    }

    /// Batches, each with what makes it worth checking.
    static func batches() throws -> [(what: String, payload: String)] {
        func batch(_ aggregates: [Aggregate], seq: Int = 1, historical: Bool = false) -> String {
            UplinkPayloads.aggregateBatch(aggregates, gateway: gateway, seq: seq, historical: historical)
        }
        return [
            ("the contract's example", batch([try contractAggregate()], seq: 1042)),
            ("negative readings", batch([try aggregate(metric: "temperature", values: [-40.5, -12, -0.5, -7.25])])),
            ("readings whose sum overflows a double", batch([try aggregate(values: [1.7e308, 1.7e308, -1e-3])])),
            ("the largest and smallest doubles", batch([
                try aggregate(values: [-.greatestFiniteMagnitude]),
                try aggregate(metric: "tiny", values: [.leastNonzeroMagnitude, -.leastNonzeroMagnitude]),
            ])),
            ("whole numbers around 1e15", batch([try aggregate(values: [1e15 - 1, 1e15, 123_456_789_012_345_680])])),
            ("zero and negative zero", batch([try aggregate(values: [0, -0.0])])),
            ("names in other scripts, with quotes, backslashes and control characters", batch([
                try aggregate(sensor: "fès/مياه/compteur-٤٢", metric: "débit 💧", values: [1.5]),
                try aggregate(sensor: "say \"hi\"\\there", metric: "line\nbreak\ttab\u{1}bell", values: [2]),
            ])),
            ("an empty batch from a backlog", batch([], seq: 7, historical: true)),
            ("the largest seq", batch([try aggregate(values: [1])], seq: Int.max)),
            ("a day-long window at year 1 and one at year 9999", batch([
                try aggregate(start: "0001-01-01T00:00:00Z", windowSeconds: 86_400, values: [3]),
                try aggregate(start: "9999-12-31T00:00:00Z", windowSeconds: 86_400, values: [4]),
            ])),
            ("a revised aggregate", batch([try aggregate(values: [1, 2, 3], rev: 7)], seq: 2, historical: true)),
            ("a hundred aggregates", batch(try (0..<100).map { index in
                try aggregate(sensor: "fes/air/station-\(index)", values: [Double(index) / 3, -Double(index)])
            })),
        ]
    }

    static func alerts() throws -> [(what: String, payload: String)] {
        var alerts = [("the contract's example", UplinkPayloads.alert(try contractAlert(), gateway: gateway))]
        for severity in AlertSeverity.allCases {
            for state in [AlertState.raised, .cleared] {
                var event = try contractAlert()
                event.severity = severity
                event.state = state
                alerts.append(("\(severity) \(state)", UplinkPayloads.alert(event, gateway: gateway)))
            }
        }
        var silent = try contractAlert()
        silent.rule = "quiet-meter"
        silent.value = nil
        silent.threshold = nil
        silent.id = AlertEvent.id(rule: silent.rule, sensor: silent.sensor, raisedAt: silent.at)
        alerts.append(("a silent rule, without value or threshold", UplinkPayloads.alert(silent, gateway: gateway)))
        var negative = try contractAlert()
        negative.metric = "temperature"
        negative.value = -18.25
        negative.threshold = -10
        negative.at = try time("1969-12-31T23:59:59.123Z")
        negative.id = AlertEvent.id(rule: negative.rule, sensor: negative.sensor, raisedAt: negative.at)
        alerts.append(("negative readings before 1970", UplinkPayloads.alert(negative, gateway: gateway)))
        var unicode = try contractAlert()
        unicode.rule = "fuite-nocturne"
        unicode.sensor = "fès/مياه/compteur-٤٢"
        unicode.metric = "débit 💧"
        unicode.value = .greatestFiniteMagnitude
        unicode.id = AlertEvent.id(rule: unicode.rule, sensor: unicode.sensor, raisedAt: unicode.at)
        alerts.append(("names in other scripts and a huge value", UplinkPayloads.alert(unicode, gateway: "a")))
        return alerts
    }

    static func onlineStatus() throws -> GatewayStatusInfo {
        GatewayStatusInfo(
            gateway: gateway, state: .online, version: "0.1.0", started: try time("2026-11-26T13:59:00Z"),
            configHash: ConfigFingerprint(value: 0x0123_4567_89ab_cdef), at: try time("2026-11-26T13:59:01.250Z"))
    }

    static func statuses() throws -> [(what: String, payload: String)] {
        let online = try onlineStatus()
        var stopped = online
        stopped.state = .offline
        stopped.at = try time("2026-11-27T08:00:00.001Z")
        var will = online
        will.state = .offline
        will.at = nil
        var edges = online
        edges.gateway = String(repeating: "Z9._-", count: 12) + "abcd"
        edges.version = "1.2.3-beta.1+exp.sha.5114f85"
        edges.configHash = ConfigFingerprint(value: .max)
        var short = will
        short.gateway = "a"
        short.configHash = ConfigFingerprint(value: 0)
        return [
            ("online", UplinkPayloads.status(online)),
            ("offline after a clean stop", UplinkPayloads.status(stopped)),
            ("the will", UplinkPayloads.status(will)),
            ("a 64-character gateway id and the largest fingerprint", UplinkPayloads.status(edges)),
            ("a one-character gateway id and a zero fingerprint", UplinkPayloads.status(short)),
            ("a fingerprint of real bytes", UplinkPayloads.status(GatewayStatusInfo(
                gateway: gateway, state: .online, version: "0.1.0", started: try time("2026-11-26T13:59:00Z"),
                configHash: ConfigFingerprint(bytes: "[gateway]\nid = \"fes-medina-01\"\n".utf8),
                at: try time("2026-11-26T13:59:00Z")))),
        ]
    }

    static func fullHealth() throws -> HealthReport {
        HealthReport(
            gateway: gateway, at: try time("2026-11-26T14:00:00Z"), uptimeSeconds: 61, readingsIn: 12_345,
            readingsDuplicate: 17, deadLetters: ["not_json": 3, "bad_time": 1, "topic_mismatch": 2],
            bufferRows: 12_000, bufferBytes: 4_194_304, bufferOldest: try time("2026-11-12T14:00:00.5Z"),
            hubs: [
                HealthReport.Hub(
                    name: "city", connected: true, backlogBatches: 0, backlogAggregates: 0, oldestBacklog: nil,
                    lastAck: try time("2026-11-26T13:59:58.250Z"), nextSeq: 1043),
                HealthReport.Hub(
                    name: "backup", connected: false, backlogBatches: 12, backlogAggregates: 1_180,
                    oldestBacklog: try time("2026-11-26T11:00:00Z"), lastAck: nil, nextSeq: 1),
            ],
            dropped: [
                "readings_evicted": 0, "readings_expired": 5_000, "aggregates_evicted": 0, "aggregates_expired": 0,
                "alerts_evicted": 0, "batches_evicted": 0, "dead_letters_evicted": 2,
            ])
    }

    static func healthReports() throws -> [(what: String, payload: String)] {
        let full = try fullHealth()
        var empty = full
        empty.uptimeSeconds = 0
        empty.readingsIn = 0
        empty.readingsDuplicate = 0
        empty.deadLetters = [:]
        empty.bufferRows = 0
        empty.bufferBytes = 0
        empty.bufferOldest = nil
        empty.hubs = []
        empty.dropped = [:]
        var huge = full
        huge.uptimeSeconds = Int.max
        huge.readingsIn = Int.max
        huge.bufferBytes = Int.max
        huge.deadLetters = Dictionary(uniqueKeysWithValues: DeadLetterReason.allCases.map { ($0.rawValue, Int.max / 4) })
        huge.hubs = [
            HealthReport.Hub(
                name: "hub ünïcödé 🌍", connected: false, backlogBatches: Int.max, backlogAggregates: Int.max,
                oldestBacklog: try time("0001-01-01T00:00:00Z"), lastAck: try time("9999-12-31T23:59:59.999Z"),
                nextSeq: Int.max)
        ]
        return [
            ("a gateway at work", UplinkPayloads.health(full)),
            ("a gateway just started, with no hub and nothing counted", UplinkPayloads.health(empty)),
            ("the largest counts, every dead letter reason, times at the ends of the range", UplinkPayloads.health(huge)),
        ]
    }
}
