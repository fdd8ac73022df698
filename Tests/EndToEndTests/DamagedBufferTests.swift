// Contract checked here: a damaged buffer file at start is moved aside with a critical log line,
// the daemon runs and stores on a fresh buffer, and `check` reports the moved file until removed.
import Foundation
import TestSupport
import Testing

@Suite("A damaged buffer at start, on the built binary")
struct DamagedBufferTests {
    @Test("moved aside, a fresh buffer stores, check says so")
    func movedAsideAndReported() async throws {
        let broker = try MosquittoBroker()
        let gateway = try GatewayUnderTest(broker: broker, id: "damaged")
        try FileManager.default.createDirectory(atPath: gateway.directory.file("data"), withIntermediateDirectories: true)
        try Data(repeating: 0x5A, count: 40_000).write(to: URL(fileURLWithPath: gateway.databasePath))
        try await gateway.process.start()
        #expect(gateway.process.log.contains("the buffer database is damaged: moved it aside"))
        let sensors = SensorPublisher(broker: broker)
        try await sensors.start()
        // A current time: a reading older than the retention (14 days) would expire at once.
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        try sensors.publish("city/fes/water/meter-1/flow", "{\"value\":1,\"ts\":\(now)}")
        try await sensors.drained()
        try await eventually("the reading stored on the fresh buffer") { gateway.storedRows() == 1 }

        let check = try gateway.run(["check"])
        #expect(check.status == 1, "\(check.all)")
        #expect(check.stdout.contains("FAIL  damaged"), "\(check.stdout)")
        #expect(check.stdout.contains("streetgate.db.damaged-"))
        #expect(gateway.process.signal(SIGTERM) == 0)
    }
}
