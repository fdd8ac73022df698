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
        #expect(applied == ["v1-readings", "v1-dead-letters", "v1-counters", "v2-alerts-aggregates", "v3-uplink"])
        #expect(rows == 5)
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
        #expect(try writer.maxReadingID() == 2)
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
