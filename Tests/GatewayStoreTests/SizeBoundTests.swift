import GRDB
import GatewayCore
import InMemoryLogging
import Logging
import TestSupport
import Testing
@testable import GatewayStore

@Suite("Size bound")
struct SizeBoundTests {
    static let maxSize: Int64 = 16 << 20

    /// Every accepted reading is either still stored or counted as deleted.
    func expectCountersAddUp(_ settings: StoreSettings, writer: BufferWriter, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let present = try writer.queue.read { db in try Int64.fetchOne(db, sql: "SELECT count(*) FROM reading") ?? 0 }
        let status = try BufferReader(path: settings.path).status(now: Timestamp(milliseconds: 0))
        let accepted = status.sensors.reduce(0) { $0 + $1.count }
        let evicted = status.counters["readings.evicted"] ?? 0
        #expect(status.rows == present, sourceLocation: sourceLocation)
        #expect(accepted == present + evicted, sourceLocation: sourceLocation)
    }

    @Test("maintenance evicts the oldest readings past 90 % of the budget, and the files stay under max_size")
    func maintenanceEvicts() throws {
        let directory = try TemporaryDirectory()
        let settings = storeSettings(in: directory, maxSize: Self.maxSize)
        let (logger, logs) = recordingLogger()
        let writer = try BufferWriter(settings: settings, logger: logger)
        var inserted = 0
        var evicted = 0
        var step: Int64 = 0
        var commitsAfterEviction = 0
        while commitsAfterEviction < 100 {
            inserted += try writer.commit(readings: batch(sensors: 1_000, start: step)).inserted
            step += 1
            let report = try writer.maintain(now: Timestamp(milliseconds: step))
            #expect(report.usedBytes <= report.budgetBytes)
            evicted += report.evicted
            if evicted > 0 { commitsAfterEviction += 1 }
            #expect(diskBytes(settings) <= Self.maxSize)
            #expect(step < 2_000, "no eviction after 2 million readings")
            if step >= 2_000 { return }
        }
        #expect(evicted > 0)
        try expectCountersAddUp(settings, writer: writer)
        let status = try BufferReader(path: settings.path).status(now: Timestamp(milliseconds: step))
        #expect(status.counters["readings.evicted"] == Int64(evicted))
        #expect(status.rows == Int64(inserted - evicted))
        // Oldest first: what remains is the most recent stretch, without gaps.
        let oldest = try #require(status.oldestReading).milliseconds
        #expect(status.newestReading?.milliseconds == step - 1)
        #expect(status.rows == (step - oldest) * 1_000)
        let warnings = logs.entries.filter { $0.level == .warning }
        #expect(!warnings.isEmpty)
        #expect(warnings.allSatisfy { $0.metadata["readings.evicted"] != nil })
        try writer.close()
        #expect(diskBytes(settings) <= Self.maxSize)
    }

    @Test("a commit that hits max_size evicts the oldest readings and is stored")
    func commitEvictsWhenFull() throws {
        let directory = try TemporaryDirectory()
        let settings = storeSettings(in: directory, maxSize: Self.maxSize)
        let (logger, logs) = recordingLogger()
        let writer = try BufferWriter(settings: settings, logger: logger)
        var step: Int64 = 0
        var evicted = 0
        var commitsAfterEviction = 0
        while commitsAfterEviction < 50 {
            // No maintenance at all: only SQLITE_FULL makes room.
            let report = try writer.commit(readings: batch(sensors: 1_000, start: step))
            #expect(report.inserted == 1_000)
            evicted += report.readingsEvicted
            if evicted > 0 { commitsAfterEviction += 1 }
            step += 1
            #expect(diskBytes(settings) <= Self.maxSize)
            if step >= 2_000 { break }
        }
        #expect(evicted > 0)
        #expect(logs.entries.contains { $0.level == .warning && "\($0.message)".contains("during a commit") })
        try expectCountersAddUp(settings, writer: writer)
        try writer.close()
    }

    @Test("a batch larger than the room one eviction burst makes is stored after more bursts")
    func bigBatchEvictsInRounds() throws {
        let directory = try TemporaryDirectory()
        let settings = storeSettings(in: directory, maxSize: Self.maxSize)
        let writer = try BufferWriter(settings: settings, logger: quietLogger)
        var step: Int64 = 0
        // Fill to the first eviction: the buffer is then at its low mark, a fifth of it free.
        while try writer.commit(readings: batch(sensors: 1_000, start: step)).readingsEvicted == 0 {
            step += 1
            #expect(step < 2_000, "no eviction after 2 million readings")
            if step >= 2_000 { return }
        }
        step += 1
        // 100,000 readings, about 2.7 MB: more than a fifth of the 12 MiB budget.
        let report = try writer.commit(readings: batch(sensors: 1_000, steps: 100, start: step))
        #expect(report.inserted == 100_000)
        #expect(report.readingsEvicted > 50_000, "more than one burst: \(report.readingsEvicted)")
        // The files may pass max_size here: one transaction this large outgrows the WAL's share,
        // which is why the pipeline stores big batches in several (ReadingPipelineTests).
        try expectCountersAddUp(settings, writer: writer)
        try writer.close()
    }

    @Test("a commit that does not fit even after evicting every old reading throws, and stores nothing")
    func commitThatCannotFitThrows() throws {
        let directory = try TemporaryDirectory()
        let settings = storeSettings(in: directory, maxSize: StoreSettings.minimumMaxSize)
        let writer = try BufferWriter(settings: settings, logger: quietLogger)
        // Series are never evicted: fill the budget with sensor names.
        let longName = String(repeating: "n", count: 500)
        var failure: (any Error)?
        for step in 0..<200 {
            let readings = (0..<100).map { reading("\(longName)/\(step)/\($0)", at: Int64(step), 1) }
            do {
                try writer.commit(readings: readings)
            } catch {
                failure = error
                break
            }
        }
        #expect(failure as? StoreError == .full(path: settings.path, maxSize: StoreSettings.minimumMaxSize))
        #expect(diskBytes(settings) <= StoreSettings.minimumMaxSize)
        // The writer is still usable for what fits.
        let stored = try writer.queue.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM series") ?? 0 }
        #expect(stored % 100 == 0)
        try writer.close()
    }
}
