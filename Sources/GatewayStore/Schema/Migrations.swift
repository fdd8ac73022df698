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

        // The uplink: per hub, its cursors over the outboxes, the backlog ranges an outage left,
        // and the messages built but not yet acknowledged (kept with their seq, to resend as they were).
        migrator.registerMigration("v3-uplink") { db in
            try db.execute(sql: """
                CREATE TABLE hub (
                    name TEXT PRIMARY KEY,
                    next_seq INTEGER NOT NULL,         -- the seq of the next aggregate batch
                    alert_cursor INTEGER NOT NULL,     -- highest alert_event id put in a message
                    live_cursor INTEGER NOT NULL,      -- highest aggregate id sent live or handed to the backlog
                    connected INTEGER NOT NULL,
                    changed_at INTEGER,                -- when `connected` last changed, ms since the epoch
                    last_ack INTEGER,                  -- the last PUBACK, ms since the epoch
                    dropped_aggregates INTEGER NOT NULL,  -- deleted (size, retention) before this hub got them
                    dropped_alerts INTEGER NOT NULL
                ) WITHOUT ROWID;
                -- Aggregate ids first_id...last_id still to send as history.
                CREATE TABLE hub_backlog (
                    hub TEXT NOT NULL,
                    first_id INTEGER NOT NULL,
                    last_id INTEGER NOT NULL,
                    PRIMARY KEY (hub, first_id)
                ) WITHOUT ROWID;
                CREATE TABLE hub_message (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    hub TEXT NOT NULL,
                    kind TEXT NOT NULL,                -- alert | aggregates
                    seq INTEGER,                       -- aggregate batches only
                    historical INTEGER NOT NULL,
                    items INTEGER NOT NULL,            -- aggregates (or 1 alert) inside
                    oldest INTEGER NOT NULL,           -- the oldest time inside, ms since the epoch
                    built_at INTEGER NOT NULL,
                    payload BLOB NOT NULL
                );
                CREATE INDEX hub_message_by_hub ON hub_message (hub, id);
                """)
        }

        // Readings keyed by their natural key alone: one B-tree instead of a table and its index,
        // about half the bytes stored and written per reading. Arrival order, which the rowid gave,
        // is now a number per insert statement in `arrival` (see `ArrivalMarks`); the old rows keep
        // their id as that number, so every saved watermark stays valid. The rows themselves move
        // after the migration, in chunks (`LegacyReadings`): copying them in this one transaction
        // would need room for both tables, and the whole new one in the WAL.
        migrator.registerMigration("v4-reading-by-time") { db in
            try db.execute(sql: """
                ALTER TABLE reading RENAME TO \(LegacyReadings.table);
                CREATE TABLE reading (
                    t INTEGER NOT NULL,        -- milliseconds since the Unix epoch, UTC
                    series INTEGER NOT NULL,
                    value REAL NOT NULL,
                    arrival INTEGER NOT NULL,  -- the number of the insert statement that stored it
                    PRIMARY KEY (t, series)
                ) WITHOUT ROWID;
                ALTER TABLE series_stats RENAME COLUMN through_reading TO through_arrival;
                UPDATE engine_state SET name = 'rules.through_arrival' WHERE name = 'rules.through_reading';
                """)
            try ArrivalMarks.migrate(db)
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
