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

        // The outboxes the uplink reads (alert events, aggregates) and the rules' and windows'
        // saved state. Ids are AUTOINCREMENT: retention may empty an outbox, and the uplink's
        // cursors must never see an id handed out twice.
        migrator.registerMigration("v2-alerts-aggregates") { db in
            try db.execute(sql: """
                CREATE TABLE alert_event (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    alert_id TEXT NOT NULL,
                    state TEXT NOT NULL,       -- raised | cleared
                    rule TEXT NOT NULL,
                    sensor TEXT NOT NULL,
                    metric TEXT NOT NULL,
                    severity TEXT NOT NULL,
                    at INTEGER NOT NULL,       -- milliseconds since the Unix epoch, UTC
                    value REAL,
                    threshold REAL,
                    -- An alert is raised once and cleared once: re-deriving after a restart is ignored.
                    UNIQUE (alert_id, state)
                );
                -- Retention deletes cleared alerts only; this index holds nothing else.
                CREATE INDEX alert_event_cleared_by_time ON alert_event (at) WHERE state = 'cleared';
                CREATE TABLE aggregate (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    sensor TEXT NOT NULL,
                    metric TEXT NOT NULL,
                    start INTEGER NOT NULL,    -- milliseconds since the Unix epoch, UTC
                    window_s INTEGER NOT NULL,
                    count INTEGER NOT NULL,
                    min REAL NOT NULL,
                    max REAL NOT NULL,
                    sum REAL NOT NULL,
                    last REAL NOT NULL,
                    last_t INTEGER NOT NULL,
                    rev INTEGER NOT NULL,
                    -- Every revision is a row. Start first: windows close in time order, so rows
                    -- append at the index's tail, and retention walks it from its head.
                    UNIQUE (start, window_s, sensor, metric, rev)
                );
                CREATE TABLE engine_state (
                    name TEXT PRIMARY KEY,
                    value BLOB NOT NULL
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
