import GRDB
import GatewayCore
import TestSupport
import Testing
@testable import GatewayStore

@Suite("Retention")
struct RetentionTests {
    @Test("readings older than the retention are deleted, newer ones kept, and the deletions counted")
    func olderReadingsExpire() throws {
        let directory = try TemporaryDirectory()
        let settings = storeSettings(in: directory, retention: .seconds(60))
        let writer = try BufferWriter(settings: settings, logger: quietLogger)
        let now: Int64 = 1_000_000
        try writer.commit(readings: [
            reading("fes/water/m1", at: now - 120_000, 1),
            reading("fes/water/m2", at: now - 60_001, 2),
            reading("fes/water/m1", at: now - 60_000, 3),  // exactly at the retention: kept
            reading("fes/water/m2", at: now - 1, 4),
        ])
        let report = try writer.maintain(now: Timestamp(milliseconds: now))
        #expect(report.expired == 2)
        let reader = try BufferReader(path: settings.path)
        #expect(try exportAll(reader).map(\.value) == [3, 4])
        let status = try reader.status(now: Timestamp(milliseconds: now))
        #expect(status.counters["readings.expired"] == 2)
        #expect(status.oldestReading == Timestamp(milliseconds: now - 60_000))
        #expect(try writer.maintain(now: Timestamp(milliseconds: now)).expired == 0)
        try writer.close()
    }

    @Test("a large backlog of expired readings goes in several chunks, all counted")
    func expiryInChunks() throws {
        let directory = try TemporaryDirectory()
        let settings = storeSettings(in: directory, retention: .seconds(3_600))
        let writer = try BufferWriter(settings: settings, logger: quietLogger)
        // 25 000 old readings (more than two deletion chunks), then 1 000 recent ones.
        for step in 0..<25 {
            try writer.commit(readings: batch(sensors: 1_000, start: Int64(step)))
        }
        let now: Int64 = 10_000_000
        try writer.commit(readings: batch(sensors: 1_000, start: now))
        let report = try writer.maintain(now: Timestamp(milliseconds: now))
        #expect(report.expired == 25_000)
        let status = try BufferReader(path: settings.path).status(now: Timestamp(milliseconds: now))
        #expect(status.rows == 1_000)
        #expect(status.counters["readings.expired"] == 25_000)
        #expect(status.sensors.allSatisfy { $0.count == 26 && $0.lastTime.milliseconds == now })
        try writer.close()
    }

    @Test("expiry and export walk the time key instead of sorting")
    func queriesUseTheTimeKey() throws {
        let directory = try TemporaryDirectory()
        let writer = try BufferWriter(settings: storeSettings(in: directory), logger: quietLogger)
        let plans = try writer.queue.read { db in
            try [
                "SELECT t, series FROM reading WHERE t < 1 ORDER BY t, series LIMIT 1 OFFSET 9",
                "DELETE FROM reading WHERE (t, series) <= (1, 1)",
                "SELECT series, t, value FROM reading WHERE t >= 1 AND t < 2 ORDER BY t, series",
            ].map { sql in
                try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql).map { $0["detail"] as String }.joined(separator: "; ")
            }
        }
        for plan in plans {
            #expect(plan.contains("SEARCH reading USING PRIMARY KEY"), "\(plan)")
            #expect(!plan.contains("TEMP B-TREE"), "\(plan)")
        }
        try writer.close()
    }
}
