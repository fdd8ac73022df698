import GRDB

/// The buffer's schema, as append-only named migrations.
///
/// A migration is never edited once shipped: a change is a new migration appended at the end, so
/// every gateway in the field reaches the same schema whatever version it starts from.
enum Migrations {
    static let migrator: DatabaseMigrator = {
        var migrator = DatabaseMigrator()

        migrator.registerMigration("v1-readings") { db in
            try db.execute(sql: """
                CREATE TABLE series (
                    id INTEGER PRIMARY KEY,
                    sensor TEXT NOT NULL,
                    metric TEXT NOT NULL,
                    UNIQUE (sensor, metric)
                );
                CREATE TABLE reading (
                    id INTEGER PRIMARY KEY,
                    series INTEGER NOT NULL,
                    t INTEGER NOT NULL,   -- milliseconds since the Unix epoch, UTC
                    value REAL NOT NULL
                );
                -- Time first: in-order readings append at the index's tail. Unique: a redelivered
                -- message is ignored on its natural key (series, time).
                CREATE UNIQUE INDEX reading_by_time ON reading (t, series);
                CREATE TABLE series_stats (
                    series INTEGER PRIMARY KEY,
                    last_t INTEGER,
                    last_value REAL,
                    count INTEGER NOT NULL,
                    through_reading INTEGER NOT NULL   -- the highest reading id these figures include
                );
                """)
        }

        migrator.registerMigration("v1-dead-letters") { db in
            try db.execute(sql: """
                CREATE TABLE dead_letter (
                    id INTEGER PRIMARY KEY,
                    at INTEGER NOT NULL,       -- milliseconds since the Unix epoch, UTC
                    source TEXT NOT NULL,
                    topic TEXT NOT NULL,
                    reason TEXT NOT NULL,
                    detail TEXT NOT NULL,
                    payload BLOB NOT NULL,     -- the first bytes only
                    size INTEGER NOT NULL      -- the whole payload's size
                );
                CREATE TABLE dead_letter_count (
                    reason TEXT PRIMARY KEY,
                    count INTEGER NOT NULL
                ) WITHOUT ROWID;
                """)
        }

        migrator.registerMigration("v1-counters") { db in
            try db.execute(sql: """
                CREATE TABLE counter (
                    name TEXT PRIMARY KEY,
                    value INTEGER NOT NULL
                ) WITHOUT ROWID;
                """)
        }

        return migrator
    }()

    /// Brings the database up to date; refuses a file that a newer StreetGate has migrated.
    static func migrate(_ queue: DatabaseQueue, path: String) throws {
        let unknown = try queue.read { db in
            try migrator.appliedIdentifiers(db).subtracting(migrator.migrations)
        }
        guard unknown.isEmpty else {
            throw StoreError.newerSchema(path: path, unknownMigrations: unknown.sorted())
        }
        try migrator.migrate(queue)
    }
}
