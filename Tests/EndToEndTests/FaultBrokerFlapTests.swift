// Contract checked here (contract.md, Guarantees; issue "Prove it", scenario 2): with live traffic,
// the hub broker going down and up every few seconds (some stops SIGKILL) and the source broker
// restarted three times, every aggregate reaches the hub exact (its latest revision equals what
// the sensors sent), no aggregate the sensors did not cause, the batches' seq runs gap-free from 1,
// and every alert raised while the hub was away arrives raised and cleared.
//
// The hub broker saves its sessions every second (`autosave_interval 1`): a SIGKILLed broker
// forgets what it queued for the hub server since its last save, which is the broker's loss, not the
// gateway's. The source broker is only stopped with SIGTERM for the same reason: a SIGKILL would
// lose readings it had acknowledged to the sensors. The seed is printed; `STREETGATE_FAULT_SEED`
// repeats a run and `STREETGATE_FAULT_SECONDS` makes the traffic run longer.
import Foundation
import Synchronization
import TestSupport
import Testing

@Suite("Fault injection: brokers restarting, the hub flapping", .serialized)
struct FaultBrokerFlapTests {
    @Test("the hub broker flapping every 2-5 s and the source broker restarted 3 times: every aggregate exact, seq gap-free, every alert")
    func hubFlapping() async throws {
        let seconds = FaultParameters.integer("STREETGATE_FAULT_SECONDS", default: 30)
        let seed = FaultParameters.seed(for: "flap")
        let source = try MosquittoBroker()
        let hub = try MosquittoBroker(extraConfig: "autosave_interval 1")
        let recorder = HubRecorder(broker: hub)
        try await recorder.start()
        let gateway = try GatewayUnderTest(
            broker: source, id: "fault-flap",
            extra: UplinkTests.config(hubs: [("city", hub.url, "max_batch = 4")])
        )
        try await gateway.process.start()
        let traffic = try await LiveTraffic(broker: source, sensors: ["fes/water/meter-1", "fes/water/meter-2", "fes/waste/bin-1"])
        let begin = ContinuousClock.now
        let end = begin + .seconds(seconds)
        let run = Task { try await traffic.run(for: .seconds(seconds)) }

        // The hub: up 2-5 s, down 1-4 s, over and over; a SIGKILL one time in three (never the
        // first stop, so the hub server's session is on disk); a burst above the rule's threshold
        // in every outage.
        let flapping = Task { () -> (stops: Int, kills: Int, bursts: Int) in
            var random = SeededGenerator(seed: seed)
            var stops = 0, kills = 0, bursts = 0
            while ContinuousClock.now + .seconds(6) < end {
                try await Task.sleep(for: .milliseconds(Int.random(in: 2_000...5_000, using: &random)))
                if stops > 0 && Int.random(in: 0..<3, using: &random) == 0 {
                    hub.kill()
                    kills += 1
                } else {
                    hub.stop()
                }
                stops += 1
                try await Task.sleep(for: .milliseconds(Int.random(in: 300...800, using: &random)))
                try traffic.publishOnce(sensor: "fes/water/meter-1", metric: "flow", value: 500)
                bursts += 1
                try await Task.sleep(for: .milliseconds(Int.random(in: 700...3_200, using: &random)))
                try hub.start()
            }
            return (stops, kills, bursts)
        }
        // The source: three SIGTERM restarts at random moments spread over the run.
        let sourceRestarts = Task {
            var random = SeededGenerator(seed: seed &+ 1)
            let third = seconds * 1_000 / 3
            for part in 0..<3 {
                let at = part * third + Int.random(in: 1_000...(third - 1_000), using: &random)
                try await Task.sleep(until: begin + .milliseconds(at))
                source.stop()
                try await Task.sleep(for: .milliseconds(Int.random(in: 100...1_500, using: &random)))
                try source.start()
            }
        }
        try await sourceRestarts.value
        let flaps = try await flapping.value
        try await run.value
        print("flap: the hub stopped \(flaps.stops) times (\(flaps.kills) SIGKILL), the source restarted 3 times, \(flaps.bursts) bursts")
        #expect(flaps.stops >= seconds / 8, "the hub flapped")

        let expected = traffic.expectedAggregates(windowMilliseconds: 2_000)
        // On a timeout the checks below say what is missing.
        try? await eventually(within: .seconds(60), "every window delivered exact") {
            let received = UplinkTests.latestAggregates(recorder.batches)
            return expected.allSatisfy { key, want in received[key].map { $0.matches(want) } ?? false }
        }
        let received = UplinkTests.latestAggregates(recorder.batches)
        for (key, want) in expected {
            guard let got = received[key] else {
                Issue.record("never received: \(key) \(want)")
                continue
            }
            #expect(got.count == want.count, "\(key)")
            #expect(got.min == want.min, "\(key)")
            #expect(got.max == want.max, "\(key)")
            #expect(abs(got.sum - want.sum) < 1e-9, "\(key)")
            #expect(got.last == want.last, "\(key)")
        }
        #expect(received.count == expected.count, "no aggregate the sensors did not cause")

        let seqs = recorder.batches.compactMap { $0["seq"] as? Int }
        let highest = seqs.max() ?? 0
        let missing = Set(1...max(highest, 1)).subtracting(seqs)
        #expect(highest > 0 && missing.isEmpty, "seq gap-free from 1 to \(highest); missing \(missing.sorted())")

        let alerts = recorder.messages(on: "alerts").map(\.json).filter { $0["rule"] as? String == "burst" }
        let raised = Set(alerts.filter { $0["state"] as? String == "raised" }.compactMap { $0["id"] as? String })
        let cleared = Set(alerts.filter { $0["state"] as? String == "cleared" }.compactMap { $0["id"] as? String })
        // A burst published while the source broker restarts can reach the gateway after the
        // sensor's next reading; the rules judge a series' readings in time order and skip an
        // older one (docs/reliability.md, scenario 5), so that burst raises nothing. Its reading
        // is stored and counted in its window all the same (checked above).
        withKnownIssue("a burst overtaken by the sensor's next reading across a source restart raises no alert", isIntermittent: true) {
            #expect(raised.count == flaps.bursts, "one alert per burst: \(raised.count) raised for \(flaps.bursts) bursts")
        }
        #expect(cleared == raised, "every alert raised was cleared")
        print("flap: \(expected.count) windows checked, \(recorder.batches.count) batches received for seq 1...\(highest), \(raised.count) alerts raised and cleared")
        #expect(gateway.process.signal(SIGTERM) == 0)
    }
}

extension ExpectedAggregate {
    /// Equal, the sum up to rounding.
    func matches(_ other: ExpectedAggregate) -> Bool {
        count == other.count && min == other.min && max == other.max && abs(sum - other.sum) < 1e-9 && last == other.last
    }
}
