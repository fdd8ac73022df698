// Contract checked here (issue "Prove it", scenario 4; contract.md: bad input never stops the
// daemon): a buffer file found damaged at start — overwritten with garbage, cut to a third after a
// clean stop, or cut to a third beside the WAL a SIGKILL left — is moved aside as
// `streetgate.db.damaged-<time>` (with its WAL and shared-memory files, bytes untouched) with a
// critical log line naming both paths; the daemon starts on a fresh buffer and stores, and
// exports, exactly the readings that arrive after it.
import Foundation
import TestSupport
import Testing

@Suite("Fault injection: a damaged buffer file at start", .serialized)
struct FaultDamagedDatabaseTests {
    enum Damage: String, CaseIterable, Sendable {
        case garbage, truncatedAfterCleanStop, truncatedBesideWAL
    }

    @Test("a damaged buffer is moved aside loudly, and the daemon starts fresh and stores new readings",
          arguments: [Damage.garbage, .truncatedAfterCleanStop])
    func movedAside(damage: Damage) async throws {
        try await damagedAtStart(damage)
    }

    /// SQLite opens this file (the pages it reads first are in the WAL); the damage shows only when
    /// the pipeline re-reads the buffer's readings ("database disk image is malformed").
    @Test("a file cut short beside the WAL a SIGKILL left: the damage shows only while restoring, and is handled the same")
    func truncatedBesideWAL() async throws {
        try await damagedAtStart(.truncatedBesideWAL)
    }

    private func damagedAtStart(_ damage: Damage) async throws {
        let broker = try MosquittoBroker()
        let gateway = try GatewayUnderTest(broker: broker, id: "fault-damaged")
        try await gateway.process.start()
        let sensors = SensorPublisher(broker: broker)
        try await sensors.start()
        try publish(sensors, 0..<5_000)
        try await sensors.drained()
        try await eventually(within: .seconds(30), "the first readings stored") { gateway.storedRows() >= 5_000 }

        let path = gateway.databasePath
        switch damage {
        case .garbage:
            #expect(gateway.process.signal(SIGTERM) == 0)
            let size = try #require(FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
            var random = SeededGenerator(seed: 2026)
            try Data((0..<size).map { _ in UInt8.random(in: 0...255, using: &random) }).write(to: URL(fileURLWithPath: path))
        case .truncatedAfterCleanStop:
            #expect(gateway.process.signal(SIGTERM) == 0)
            try truncateToAThird(path)
        case .truncatedBesideWAL:
            // The first 5,000 readings checkpointed into the file by a clean stop, 2,000 more in the
            // WAL when the SIGKILL came.
            #expect(gateway.process.signal(SIGTERM) == 0)
            try await gateway.process.start()
            try publish(sensors, 5_000..<7_000)
            try await sensors.drained()
            try await eventually(within: .seconds(30), "the next readings stored") { gateway.storedRows() >= 7_000 }
            #expect(gateway.process.signal(SIGKILL) == SIGKILL)
            try truncateToAThird(path)
        }
        let damagedBytes = try Data(contentsOf: URL(fileURLWithPath: path))
        let hadWAL = FileManager.default.fileExists(atPath: path + "-wal")
        let logBefore = gateway.process.log.count

        try await gateway.process.start()
        let log = String(gateway.process.log.dropFirst(logBefore))
        let movedAside = try FileManager.default.contentsOfDirectory(atPath: gateway.directory.file("data"))
            .filter { $0.hasPrefix("streetgate.db.damaged-") && !$0.hasSuffix("-wal") && !$0.hasSuffix("-shm") }
        print("damaged (\(damage)): \(damagedBytes.count) bytes\(hadWAL ? " and a WAL" : ""), moved aside as \(movedAside)")
        #expect(movedAside.count == 1)
        let moved = try #require(movedAside.first)
        #expect(try Data(contentsOf: URL(fileURLWithPath: gateway.directory.file("data/\(moved)"))) == damagedBytes, "kept as it was")
        if hadWAL {
            #expect(FileManager.default.fileExists(atPath: gateway.directory.file("data/\(moved)-wal")), "its WAL went with it")
        }
        let line = try #require(log.split(separator: "\n").first { $0.contains("the buffer database is damaged") })
        #expect(line.contains("critical"))
        #expect(line.contains("buffer.moved_to=\(gateway.directory.file("data/\(moved)"))"))

        try publish(sensors, 10_000..<11_000)
        try await sensors.drained()
        try await eventually(within: .seconds(30), "new readings stored") { gateway.storedRows() >= 1_000 }
        let export = try gateway.run(["export", "--since", "2h"])
        #expect(export.status == 0, "\(export.stderr)")
        let numbers = exportedNumbers(export.stdout)
        #expect(numbers.count == 1_000 && Set(numbers) == Set(10_000..<11_000), "exactly the readings after the restart")
        #expect(gateway.process.signal(SIGTERM) == 0)
    }

    private func publish(_ sensors: SensorPublisher, _ numbers: Range<Int>) throws {
        for number in numbers {
            try sensors.publish("city/fes/water/meter-\(number % 20)/flow", "{\"value\":\(number),\"ts\":\(anHourAgo + Int64(number))}")
        }
    }

    private func truncateToAThird(_ path: String) throws {
        let size = try #require(FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.truncate(atOffset: UInt64(size / 3))
        try handle.close()
    }
}
