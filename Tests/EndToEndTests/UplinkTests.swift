// Contract checked here (issue "Uplink to the city hubs"): every aggregate reaches a hub exact,
// in batches whose seq runs gap-free from 1, across a 40 s hub outage and a SIGKILL of the
// gateway in the middle of the backlog; the alert raised during the outage arrives; batches sent
// from the backlog say `historical`; after a SIGKILL the hub's retained status reads offline.
// One hub down never holds back another. TLS to a hub: the right CA connects, a wrong one is refused
// with a log line saying so.
import Foundation
import GatewayCore
import Synchronization
import TestSupport
import Testing

@Suite("Uplink to hubs on the built binary")
struct UplinkTests {
    static func config(hubs: [(name: String, url: String, extra: String)], window: String = "2s") -> String {
        var text = """
            [aggregate]
            window = "\(window)"
            grace = "1s"

            [[rule]]
            name = "burst"
            sensors = "+/water/+"
            metric = "flow"
            when = "above"
            threshold = 100.0
            severity = "critical"

            """
        for hub in hubs {
            text += """

                [[hub]]
                name = "\(hub.name)"
                url = "\(hub.url)"
                \(hub.extra.contains("topic_prefix") ? "" : "topic_prefix = \"streetgate/{gateway}\"")
                \(hub.extra)

                """
        }
        return text
    }

    @Test("a 40 s hub outage and a SIGKILL during the backlog: every aggregate exact, seq gap-free, alert, historical, offline")
    func outageAndSigkill() async throws {
        let source = try MosquittoBroker()
        let hub = try MosquittoBroker()
        let recorder = HubRecorder(broker: hub)
        try await recorder.start()
        let gateway = try GatewayUnderTest(
            broker: source, id: "uplink-outage",
            extra: Self.config(hubs: [("city", hub.url, "max_batch = 4")])
        )
        try await gateway.process.start()
        let traffic = try await LiveTraffic(broker: source, sensors: ["fes/water/meter-1", "fes/water/meter-2", "fes/waste/bin-1"])
        let run = Task { try await traffic.run(for: .seconds(58)) }

        try await Task.sleep(for: .seconds(4))
        hub.stop()
        try await Task.sleep(for: .seconds(2))
        try traffic.publishOnce(sensor: "fes/water/meter-1", metric: "flow", value: 500)   // raised while the hub is away
        try await Task.sleep(for: .seconds(12))
        #expect(gateway.process.signal(SIGKILL) == SIGKILL)
        try await gateway.process.start()
        try await Task.sleep(for: .seconds(26))
        try hub.start()   // 40 s after it stopped
        try await run.value

        let expected = traffic.expectedAggregates(windowMilliseconds: 2_000)
        try await eventually(within: .seconds(90), "every window delivered") {
            let received = Self.latestAggregates(recorder.batches)
            return expected.keys.allSatisfy { received[$0] != nil }
        }
        let received = Self.latestAggregates(recorder.batches)
        for (key, want) in expected {
            let got = try #require(received[key], "\(key)")
            #expect(got.count == want.count, "\(key)")
            #expect(got.min == want.min, "\(key)")
            #expect(got.max == want.max, "\(key)")
            #expect(abs(got.sum - want.sum) < 1e-9, "\(key)")
            #expect(got.last == want.last, "\(key)")
        }
        #expect(received.count == expected.count, "no aggregate the sensors did not cause")

        let seqs = recorder.batches.compactMap { $0["seq"] as? Int }
        #expect(Set(seqs) == Set(1...(seqs.max() ?? 0)), "seq gap-free from 1: \(seqs.sorted())")
        #expect(recorder.batches.contains { $0["historical"] as? Bool == true }, "backlog batches marked historical")
        #expect(recorder.batches.contains { $0["historical"] as? Bool == false }, "live batches")
        let alerts = recorder.messages(on: "alerts").map(\.json)
        #expect(alerts.contains { $0["rule"] as? String == "burst" && $0["state"] as? String == "raised" && $0["value"] as? Double == 500 })

        #expect(gateway.process.signal(SIGKILL) == SIGKILL)
        let status = HubRecorder(broker: hub, id: "status-reader", filter: "streetgate/uplink-outage/status", cleanSession: true)
        try await status.start()
        try await eventually("the retained status") { status.messages.last?.json["state"] as? String == "offline" }
        #expect(status.messages.last?.retain == true)
    }

    @Test("two hubs, one down: the other gets live batches from seq 1, and status shows both")
    func oneHubDown() async throws {
        let source = try MosquittoBroker()
        let up = try MosquittoBroker()
        let recorder = HubRecorder(broker: up)
        try await recorder.start()
        let downPort = try Ports.ephemeral()
        let gateway = try GatewayUnderTest(
            broker: source, id: "uplink-two",
            extra: Self.config(hubs: [("city", up.url, ""), ("euromed", "mqtt://127.0.0.1:\(downPort)", "")])
        )
        try await gateway.process.start()
        let traffic = try await LiveTraffic(broker: source, sensors: ["tunis/air/station-1"])
        try await traffic.run(for: .seconds(6))
        try await eventually(within: .seconds(20), "live batches at the hub that is up") {
            recorder.batches.contains { $0["historical"] as? Bool == false }
        }
        let first = try #require(recorder.batches.first)
        #expect(first["seq"] as? Int == 1)
        #expect(first["gateway"] as? String == "uplink-two")
        let online = try #require(recorder.messages(on: "status").last)
        #expect(online.json["state"] as? String == "online")
        #expect((online.json["config_hash"] as? String)?.hasPrefix("fnv1a64:") == true)
        let health = try #require(recorder.messages(on: "health").first?.json)
        let hubs = try #require(health["hubs"] as? [[String: Any]])
        #expect(Set(hubs.compactMap { $0["name"] as? String }) == ["city", "euromed"])
        #expect(hubs.first { $0["name"] as? String == "euromed" }?["connected"] as? Bool == false)
        #expect(gateway.process.signal(SIGTERM) == 0)
        // A clean stop says offline itself.
        try await eventually("the offline status") { recorder.messages(on: "status").last?.json["state"] as? String == "offline" }
    }

    @Test("TLS to a hub: the right CA connects; a wrong CA is refused with a log line that says so")
    func tlsToHub() async throws {
        let certificates = try TestCertificates.make()
        let hub = try await TLSBroker(certificates)
        let recorder = HubRecorder(broker: hub.broker)
        try await recorder.start()
        let source = try MosquittoBroker()
        let gateway = try GatewayUnderTest(
            broker: source, id: "uplink-tls",
            extra: Self.config(hubs: [
                ("right", "mqtts://127.0.0.1:\(hub.tlsPort)", "ca_file = \"\(certificates.caFile)\""),
                ("wrong", "mqtts://127.0.0.1:\(hub.tlsPort)", "ca_file = \"\(certificates.wrongCAFile)\"\ntopic_prefix = \"wrong/{gateway}\""),
            ])
        )
        try await gateway.process.start()
        try await eventually(within: .seconds(15), "the status over TLS") {
            recorder.messages(on: "status").contains { $0.json["state"] as? String == "online" }
        }
        try await eventually(within: .seconds(15), "the refusal logged") {
            gateway.process.log.contains("did not verify") && gateway.process.log.contains("hub.name=wrong")
        }
        #expect(!recorder.messages.contains { $0.topic.hasPrefix("wrong/") })
        #expect(gateway.process.signal(SIGTERM) == 0)
    }

    /// The highest revision of every aggregate received, by (sensor, metric, start).
    static func latestAggregates(_ batches: [[String: Any]]) -> [String: ExpectedAggregate] {
        var latest: [String: (rev: Int, aggregate: ExpectedAggregate)] = [:]
        for batch in batches {
            for item in batch["aggregates"] as? [[String: Any]] ?? [] {
                guard let sensor = item["sensor"] as? String, let metric = item["metric"] as? String,
                      let start = item["start"] as? String, let count = item["count"] as? Int,
                      let min = (item["min"] as? NSNumber)?.doubleValue, let max = (item["max"] as? NSNumber)?.doubleValue,
                      let sum = (item["sum"] as? NSNumber)?.doubleValue, let last = (item["last"] as? NSNumber)?.doubleValue
                else { continue }
                let rev = item["rev"] as? Int ?? 0
                let key = "\(sensor)|\(metric)|\(start)"
                if let existing = latest[key], existing.rev > rev { continue }
                latest[key] = (rev, ExpectedAggregate(count: count, min: min, max: max, sum: sum, last: last))
            }
        }
        return latest.mapValues(\.aggregate)
    }
}

struct ExpectedAggregate: Equatable {
    var count: Int
    var min: Double
    var max: Double
    var sum: Double
    var last: Double
}

/// Sensors reporting every 200 ms with their own timestamps, remembering every reading sent.
final class LiveTraffic: Sendable {
    let sensors: [String]
    private let publisher: SensorPublisher
    private let sent = Mutex<[(key: String, time: Int64, value: Double)]>([])

    init(broker: MosquittoBroker, sensors: [String]) async throws {
        self.sensors = sensors
        publisher = SensorPublisher(broker: broker, id: "traffic-\(broker.port)")
        try await publisher.start()
    }

    func run(for duration: Duration) async throws {
        let end = ContinuousClock.now + duration
        var step = 0
        while ContinuousClock.now < end {
            for sensor in sensors {
                try publishOnce(sensor: sensor, metric: sensor.contains("/water/") ? "flow" : "level", value: Double(step % 50) + 0.5)
            }
            step += 1
            try await Task.sleep(for: .milliseconds(200))
        }
        try await publisher.drained()
    }

    func publishOnce(sensor: String, metric: String, value: Double) throws {
        // Distinct times per sensor, even for two readings in the same millisecond.
        let time = sent.withLock { sent -> Int64 in
            let now = Int64(Date().timeIntervalSince1970 * 1000)
            let previous = sent.last { $0.key.hasPrefix(sensor + "|") }?.time ?? 0
            let time = max(now, previous + 1)
            sent.append(("\(sensor)|\(metric)", time, value))
            return time
        }
        try publisher.publish("city/\(sensor)/\(metric)", "{\"value\":\(value),\"ts\":\(time)}")
    }

    /// What each window should hold, keyed like `UplinkTests.latestAggregates`.
    func expectedAggregates(windowMilliseconds window: Int64) -> [String: ExpectedAggregate] {
        var expected: [String: ExpectedAggregate] = [:]
        var lastTime: [String: Int64] = [:]
        for reading in sent.withLock({ $0 }) {
            let start = reading.time / window * window
            let key = "\(reading.key)|\(Timestamp(milliseconds: start).rfc3339)"
            if var aggregate = expected[key] {
                aggregate.count += 1
                aggregate.min = Swift.min(aggregate.min, reading.value)
                aggregate.max = Swift.max(aggregate.max, reading.value)
                aggregate.sum += reading.value
                if reading.time >= lastTime[key, default: 0] {
                    aggregate.last = reading.value
                    lastTime[key] = reading.time
                }
                expected[key] = aggregate
            } else {
                expected[key] = ExpectedAggregate(count: 1, min: reading.value, max: reading.value, sum: reading.value, last: reading.value)
                lastTime[key] = reading.time
            }
        }
        return expected
    }
}
