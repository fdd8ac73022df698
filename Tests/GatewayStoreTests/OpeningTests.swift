import Foundation
import GRDB
import GatewayCore
import TestSupport
import Testing
@testable import GatewayStore

@Suite("Opening the buffer")
struct OpeningTests {
    @Test("migrations run once, in order, and reopening neither repeats nor loses them")
    func migrationsAreIdempotent() throws {
        let directory = try TemporaryDirectory()
        let settings = storeSettings(in: directory)
        do {
            let writer = try BufferWriter(settings: settings, logger: quietLogger)
            try writer.commit(readings: [reading("fes/water/m1", at: 1_000, 2.5)])
            try writer.close()
        }
        let writer = try BufferWriter(settings: settings, logger: quietLogger)
        let applied = try writer.queue.read { db in try Migrations.migrator.appliedMigrations(db) }
        let rows = try writer.queue.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM grdb_migrations") }
        #expect(applied == ["v1-readings", "v1-dead-letters", "v1-counters", "v2-alerts-aggregates", "v3-uplink", "v4-reading-by-time"])
        #expect(rows == 6)
        #expect(try writer.queue.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM reading") } == 1)
        try writer.close()
    }

    @Test("a buffer written before the outboxes existed gains them on opening, and keeps its readings")
    func v1FileIsMigrated() throws {
        let directory = try TemporaryDirectory()
        let settings = storeSettings(in: directory)
        let queue = try DatabaseQueue(path: settings.path)
        try Migrations.migrator.migrate(queue, upTo: "v1-counters")
        try queue.write { db in
            try db.execute(sql: """
                INSERT INTO series (id, sensor, metric) VALUES (1, 'fes/water/m1', 'flow');
                INSERT INTO reading (series, t, value) VALUES (1, 1000, 2.5), (1, 2000, 2.75);
                INSERT INTO counter (name, value) VALUES ('readings.duplicate', 3);
                """)
        }
        try queue.close()

        let writer = try BufferWriter(settings: settings, logger: quietLogger)
        #expect(try writer.queue.read { db in try Migrations.migrator.hasCompletedMigrations(db) })
        #expect(try writer.latestArrival() == 2)
        let report = try writer.commit(readings: [reading("fes/water/m1", at: 2_000, 9), reading("fes/water/m1", at: 3_000, 3)]) { new, _ in
            #expect(new.map(\.value) == [3])
            return DerivedRecords(alerts: [alertEvent(.raised, raisedAt: 3_000)], windowsClosedBefore: Timestamp(milliseconds: 0))
        }
        #expect(report == CommitReport(inserted: 1, duplicates: 1, alerts: 1))
        try writer.close()

        let status = try BufferReader(path: settings.path).status(now: Timestamp(milliseconds: 4_000))
        #expect(status.rows == 3)
        #expect(status.counters["readings.duplicate"] == 4)
        #expect(status.activeAlerts.count == 1)
        #expect(status.alertEvents == 1)
    }

    @Test("a buffer keyed by rowid is rekeyed by time: ids become arrival numbers, and the watermarks hold")
    func v3FileIsRekeyed() throws {
        let directory = try TemporaryDirectory()
        let settings = storeSettings(in: directory)
        let queue = try DatabaseQueue(path: settings.path)
        try Migrations.migrator.migrate(queue, upTo: "v3-uplink")
        // Six readings in arrival (id) order, one of them late; the figures were flushed through
        // id 4 and the rules' snapshot covers ids up to 3.
        try queue.write { db in
            try db.execute(sql: """
                INSERT INTO series (id, sensor, metric) VALUES (1, 'fes/water/m1', 'flow'), (2, 'fes/water/m2', 'flow');
                INSERT INTO reading (id, series, t, value) VALUES
                    (1, 1, 1000, 1), (2, 2, 1000, 2), (3, 1, 2000, 3), (4, 2, 2000, 4), (5, 1, 500, 5), (6, 2, 3000, 6);
                INSERT INTO series_stats (series, last_t, last_value, count, through_reading) VALUES
                    (1, 2000, 3, 2, 4), (2, 2000, 4, 2, 4);
                INSERT INTO engine_state (name, value) VALUES ('rules.snapshot', x'010203'), ('rules.through_reading', 3);
                """)
        }
        try queue.close()

        let writer = try BufferWriter(settings: settings, logger: quietLogger)
        #expect(try writer.latestArrival() == 6)
        #expect(try writer.rulesSnapshot()?.throughArrival == 3)
        var replayed: [Double] = []
        try writer.readings(afterArrival: 3) { replayed.append($0.value) }
        #expect(replayed == [4, 5, 6])
        #expect(try writer.latestReadingTime(afterArrival: 4) == Timestamp(milliseconds: 3_000))
        #expect(try writer.queue.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM reading") } == 6)
        // The figures: flushed ones plus the tail after id 4, the late reading counted but not last.
        let status = try BufferReader(path: settings.path).status(now: Timestamp(milliseconds: 4_000))
        #expect(status.sensors.map(\.count) == [3, 3])
        #expect(status.sensors.map(\.lastValue) == [3, 6])
        #expect(try BufferReader(path: settings.path).acceptedReadings() == 6)

        // New readings number above the old ids; a redelivered old one is a duplicate.
        let report = try writer.commit(readings: [reading("fes/water/m1", at: 500, 5), reading("fes/water/m1", at: 4_000, 7)])
        #expect(report == CommitReport(inserted: 1, duplicates: 1))
        #expect(try writer.latestArrival() > 6)
        replayed = []
        try writer.readings(afterArrival: 6) { replayed.append($0.value) }
        #expect(replayed == [7])
        try writer.close()
    }

    @Test("a v3 buffer at its page budget is moved in chunks: the first is evicted for room, the rest moved, within max_size")
    func fullV3FileIsMovedInChunks() throws {
        let directory = try TemporaryDirectory()
        let settings = storeSettings(in: directory, maxSize: 16 << 20)
        let budget = StorageLimits(maxSize: 16 << 20).maxPageCount(pageSize: 4_096)
        let queue = try DatabaseQueue(path: settings.path)
        try queue.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA page_size = 4096; PRAGMA journal_mode = WAL; PRAGMA max_page_count = \(budget)")
        }
        try Migrations.migrator.migrate(queue, upTo: "v3-uplink")
        try queue.write { db in
            try db.execute(sql: "INSERT INTO series (id, sensor, metric) VALUES (1, 'fes/water/m1', 'flow'), (2, 'fes/water/m2', 'flow')")
        }
        // Readings a second apart, two series, in chunks until SQLite refuses the next page.
        var stored = 0
        fill: while true {
            do {
                try queue.write { db in
                    let insert = try db.makeStatement(sql: "INSERT INTO reading (series, t, value) VALUES (?, ?, ?)")
                    for index in stored..<(stored + 5_000) {
                        try insert.execute(arguments: [index % 2 + 1, Int64(index / 2) * 1_000, Double(index)])
                    }
                }
                stored += 5_000
            } catch let error as DatabaseError where error.resultCode == .SQLITE_FULL {
                break fill
            }
        }
        try queue.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
        try queue.close()

        let writer = try BufferWriter(settings: settings, logger: quietLogger)
        let kept = try writer.queue.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM reading") ?? 0 }
        let status = try BufferReader(path: settings.path).status(now: Timestamp(milliseconds: 0))
        let evicted = Int(status.counters["readings.evicted", default: 0])
        #expect(stored > 200_000, "\(stored)")
        #expect(evicted == LegacyReadings.chunk, "the first chunk made room")
        #expect(kept + evicted == stored)
        #expect(try writer.queue.read { db in try db.tableExists(LegacyReadings.table) } == false)
        // Oldest first: what is left starts right after the evicted chunk, arrival numbers the old ids.
        let first = try writer.queue.read { db in try Row.fetchOne(db, sql: "SELECT t, arrival FROM reading ORDER BY t, series LIMIT 1") }
        #expect(first?[0] == Int64(evicted / 2) * 1_000)
        #expect(first?[1] == Int64(evicted + 1))
        try writer.close()
        #expect(diskBytes(settings) <= 16 << 20)
    }

    @Test("WAL, synchronous, page size, and the WAL limits are set and read back", arguments: SyncMode.allCases)
    func pragmasAreApplied(sync: SyncMode) throws {
        let directory = try TemporaryDirectory()
        let writer = try BufferWriter(settings: storeSettings(in: directory, sync: sync, maxSize: 512 << 20), logger: quietLogger)
        let pragmas = try writer.currentPragmas()
        #expect(pragmas.journalMode == "wal")
        #expect(pragmas.synchronous == (sync == .full ? 2 : 1))
        #expect(pragmas.foreignKeys == false)
        #expect(pragmas.pageSize == 4_096)
        #expect(pragmas.walAutocheckpoint == 1_000)
        #expect(pragmas.journalSizeLimit == 4 << 20)
        #expect(pragmas.maxPageCount == ((512 << 20) - (8 << 20)) / 4_096)
        #expect(pragmas.busyTimeoutMilliseconds == 5_000)
        try writer.close()
    }

    @Test("a small max_size leaves a quarter for the WAL and checkpoints sooner")
    func smallBudget() {
        let limits = StorageLimits(maxSize: 16 << 20)
        #expect(limits.walAllowance == 4 << 20)
        #expect(limits.maxPageCount(pageSize: 4_096) == 3_072)
        #expect(limits.walAutocheckpointPages == 509)
        #expect(limits.journalSizeLimit == 2 << 20)
    }

    @Test("a missing directory is named in the error, not created")
    func missingDirectory() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("absent/buffer.sqlite")
        #expect(throws: StoreError.directoryMissing(path: path)) {
            try BufferWriter(settings: StoreSettings(path: path), logger: quietLogger)
        }
        #expect(!FileManager.default.fileExists(atPath: directory.file("absent")))
    }

    @Test("settings out of range are refused with the key and what was expected")
    func invalidSettings() throws {
        let directory = try TemporaryDirectory()
        let tooSmall = StoreSettings(path: directory.file("buffer.sqlite"), maxSize: 1 << 20)
        let error = #expect(throws: StoreError.self) {
            try BufferWriter(settings: tooSmall, logger: quietLogger)
        }
        #expect(error?.description.contains("max_size: expected at least") == true)
    }

    @Test("a file migrated by a newer StreetGate is refused rather than written")
    func newerSchemaIsRefused() throws {
        let directory = try TemporaryDirectory()
        let settings = storeSettings(in: directory)
        try BufferWriter(settings: settings, logger: quietLogger).close()
        let queue = try DatabaseQueue(path: settings.path)
        try queue.write { db in
            try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v9-future')")
        }
        try queue.close()
        #expect(throws: StoreError.newerSchema(path: settings.path, unknownMigrations: ["v9-future"])) {
            try BufferWriter(settings: settings, logger: quietLogger)
        }
    }

    @Test("a file that is not a database is reported as such")
    func notADatabase() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("buffer.sqlite")
        try Data(repeating: 0x41, count: 8_192).write(to: URL(fileURLWithPath: path))
        let error = #expect(throws: StoreError.self) {
            try BufferWriter(settings: StoreSettings(path: path), logger: quietLogger)
        }
        #expect(error?.description.contains("not a database") == true)
    }

    @Test("a closed writer refuses further work")
    func closedWriter() throws {
        let directory = try TemporaryDirectory()
        let writer = try BufferWriter(settings: storeSettings(in: directory), logger: quietLogger)
        try writer.close()
        try writer.close()  // closing twice is harmless
        #expect(throws: StoreError.closed) {
            try writer.commit(readings: [reading("fes/water/m1", at: 1, 1)])
        }
        #expect(throws: StoreError.closed) {
            try writer.maintain(now: Timestamp(milliseconds: 0))
        }
    }
}
