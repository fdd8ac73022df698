// Contract checked here (contract.md, Guarantees): a reading acknowledged to the sensor broker is in
// SQLite, so SIGKILLs of the daemon at random moments under a numbered QoS 1 stream — right after it
// said ready, in the middle of a commit, while it is still starting and restoring — lose none, and
// `streetgate export` holds every number exactly once. The moments come from a seeded generator;
// the seed is printed (`STREETGATE_FAULT_SEED` repeats a run; `STREETGATE_FAULT_KILLS` and
// `STREETGATE_FAULT_MESSAGES` make it longer; `tools/faults/sigkill.sh` does the same from a shell).
import Foundation
import GatewayCore
import GatewayStore
import Synchronization
import TestSupport
import Testing

@Suite("Fault injection: SIGKILLs at random moments", .serialized)
struct FaultSigkillTests {
    @Test("20 SIGKILLs at random moments under 20,000 numbered QoS 1 readings: every number stored exactly once")
    func randomKills() async throws {
        let kills = FaultParameters.integer("STREETGATE_FAULT_KILLS", default: 20)
        let total = FaultParameters.integer("STREETGATE_FAULT_MESSAGES", default: 20_000)
        var random = SeededGenerator(seed: FaultParameters.seed(for: "sigkill"))
        let broker = try MosquittoBroker()
        let gateway = try GatewayUnderTest(broker: broker, id: "fault-sigkill")
        var daemon = KillableGateway(gateway)
        var readyBefore = 0
        try daemon.spawn()
        try await daemon.waitReady(after: readyBefore)
        let sensors = SensorPublisher(broker: broker)
        try await sensors.start()

        // The stream is spread over about as long as the kills take (~0.85 s each), 10 chunks a second.
        let published = Published()
        let perChunk = max(1, total / max(1, kills * 9))
        let stream = Task {
            for number in 0..<total {
                try sensors.publish(
                    "city/fes/water/meter-\(number % 50)/flow", "{\"value\":\(number),\"ts\":\(anHourAgo + Int64(number))}")
                published.count.store(number + 1, ordering: .relaxed)
                if number % perChunk == perChunk - 1 { try await Task.sleep(for: .milliseconds(100)) }
            }
        }

        var duringStream = 0, beforeReady = 0
        let started = ContinuousClock.now
        for kill in 1...kills {
            let moment: String
            if Int.random(in: 0..<4, using: &random) == 0 {
                // Start-up takes 40 to 80 ms: opening the buffer, re-feeding the rules and windows, subscribing.
                let delay = Int.random(in: 0..<100, using: &random)
                try await Task.sleep(for: .milliseconds(delay))
                let ready = daemon.readyCount > readyBefore
                if !ready { beforeReady += 1 }
                moment = "\(delay) ms after the start\(ready ? "" : ", before ready")"
            } else {
                try await daemon.waitReady(after: readyBefore)
                let delay = Int.random(in: 50..<1_500, using: &random)
                try await Task.sleep(for: .milliseconds(delay))
                moment = "\(delay) ms after ready"
            }
            let sent = published.count.load(ordering: .relaxed)
            if sent < total { duringStream += 1 }
            #expect(daemon.stop(with: SIGKILL) == SIGKILL, "kill \(kill): the gateway was still running")
            print("sigkill: kill \(kill) at +\(Int((ContinuousClock.now - started) / .milliseconds(1))) ms, \(moment), \(sent) of \(total) published")
            readyBefore = daemon.readyCount
            try daemon.spawn()
        }
        try await daemon.waitReady(after: readyBefore)
        try await stream.value
        try await sensors.drained()
        try await eventually(within: .seconds(60), "all readings stored") { gateway.storedRows() >= Int64(total) }

        let export = try gateway.run(["export", "--since", "2h"])
        #expect(export.status == 0, "\(export.stderr)")
        let numbers = exportedNumbers(export.stdout)
        let distinct = Set(numbers)
        let missing = Set(0..<total).subtracting(distinct)
        let redelivered = (try? BufferReader(path: gateway.databasePath).status(now: Timestamp(milliseconds: 0)))?.counters["readings.duplicate"] ?? 0
        print("sigkill: \(kills) kills, \(duringStream) during the stream, \(beforeReady) before ready; export holds \(numbers.count) rows, \(distinct.count) distinct, \(missing.count) missing; \(redelivered) redeliveries ignored")
        #expect(numbers.count == total, "every number once: \(numbers.count) rows for \(total) numbers")
        #expect(missing.isEmpty, "missing: \(missing.sorted().prefix(20))")
        #expect(distinct.count == numbers.count, "no number twice")
        #expect(duringStream >= kills / 2, "most kills came while the stream was running")
        #expect(daemon.stop(with: SIGTERM) == 0)
    }
}

private final class Published: Sendable {
    let count = Atomic<Int>(0)
}
