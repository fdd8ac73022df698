import Foundation
import GRDB
import GatewayCore
import Logging
import Synchronization

/// The gateway's only writer to its SQLite buffer: readings and dead letters go to disk here
/// before any message is acknowledged, so nothing is lost across SIGKILL, reboots or uplink outages.
///
/// ## Use
/// One instance, used synchronously from the MQTT loop thread: `commit` a group of readings and
/// dead letters in one transaction (with `derive`, also the alerts and aggregates the rules and
/// windows make of the new ones), then acknowledge those messages; `commit(derived:)` what the
/// clock alone decides; call `maintain` every few seconds; `close` on shutdown. After a restart,
/// `rulesSnapshot`, `windowsClosedBefore` and `readings(afterArrival:)` / `readings(since:)` rebuild
/// the engines. `BufferReader` reads the same file from other processes.
///
/// ## Schema, and why
/// It is shaped for ~100k readings/s on an SD card, at under ~100 bytes written per reading.
/// - `series(id, sensor, metric)`: one small row per sensor/metric pair. The writer keeps every
///   pair's id in memory, so the hot path does no lookups and a reading row holds an integer
///   rather than two strings.
/// - `reading(t, series, value, arrival)`, keyed by (t, series) `WITHOUT ROWID`: one B-tree and
///   about 27 bytes a reading (a rowid table with an index on the same key took 48, and wrote
///   twice that). Time first, so in-order data appends at the key's tail and a commit dirties few
///   pages (little WAL, little wear). Keyed on the natural key, so `INSERT OR IGNORE` makes
///   ingest idempotent: a QoS 1 message redelivered after a crash between commit and PUBACK is
///   ignored and counted as `readings.duplicate`. `arrival` numbers each insert statement, for
///   what needs arrival order (`ArrivalMarks`).
/// - `series_stats(series, last_t, last_value, count, through_arrival)`: each series' latest
///   reading (greatest time) and how many readings were accepted. Updating it per reading would
///   dirty scattered pages on every commit, so the writer keeps these figures in memory and writes
///   them every `statsFlushInterval` (from `maintain`), on `close`, and with every deletion.
///   `through_arrival` is the last arrival number they include; the readings after it (at most
///   one flush interval's worth) complete them exactly, also after a SIGKILL, for readers and for
///   the writer's own restart.
/// - `dead_letter` keeps the latest `deadLetterLimit` unusable messages (first 256 payload bytes
///   and the size), `dead_letter_count` counts them per reason for good.
/// - `counter(name, value)`: events counted for good (`BufferCounter`): duplicates, invalid
///   values, readings expired by retention or evicted by size, dead letters evicted, outbox rows
///   stored, expired and evicted.
/// - `alert_event` and `aggregate`: the outboxes the uplink reads, in the order the rules and
///   windows produced them (ids are AUTOINCREMENT, never reused). Unique on their natural keys
///   (alert id and state; window and `rev`), so re-deriving after a restart stores nothing twice.
///   `commit(readings:deadLetters:derive:)` stores them in the same transaction as the readings
///   they came from.
/// - `engine_state(name, value)`: the rules' snapshot with the arrival number it covers, the
///   windows' watermark, to rebuild both after a restart (`readings(afterArrival:)`,
///   `readings(since:)`), and the arrival marks.
///
/// ## Bounds
/// - Retention: `maintain` deletes readings older than `retention`, by time through the index,
///   in bounded chunks; likewise aggregates by window start, and alerts cleared before it (an
///   active alert is kept, however old).
/// - Size: SQLite's `max_page_count` is set to `max_size` minus an allowance for the WAL, so the
///   file cannot grow past it (SQLITE_FULL). When used pages pass 90 % of that budget, `maintain`
///   evicts the oldest readings until they are under 80 %, then, if no reading is left, the
///   oldest aggregates, then the oldest events of cleared alerts; a commit that hits SQLITE_FULL
///   evicts at once and retries once. Every deletion is counted, in the same transaction.
/// - The WAL stays within its allowance through `wal_autocheckpoint` and `journal_size_limit`, as
///   long as no reader holds a snapshot for long (a reader's open transaction holds back
///   checkpoints).
/// - Deleting is not free: in WAL mode the pages a deletion frees are still written to the WAL and
///   checkpointed, about twice the stored size (~55 bytes per reading with this schema). Every
///   reading is deleted once in the end, by retention or by size.
///
/// ## Hot path
/// Series ids come from memory; readings go in 32-row `INSERT OR IGNORE` statements bound through
/// SQLite's C API (`ReadingInserter`); per-series figures are updated in memory. A group with a
/// duplicate is sorted out row by row, which only a redelivery causes. Only the readings left out
/// (duplicates, invalid values) have their positions noted, so when every reading is new, `derive`
/// gets the batch itself, not a copy.
/// Aggregates go in the same way, 32 rows per statement (`AggregateTable`).
///
/// ## Durability
/// WAL with `synchronous = NORMAL` survives a process crash; `FULL` also survives a power cut.
/// Schema changes are append-only named migrations.
public final class BufferWriter: Sendable {
    public let settings: StoreSettings
    let queue: DatabaseQueue
    let logger: Logger
    /// The page size the file actually has.
    let pageSize: Int64
    /// Pages the file may use by `max_size`: minus the WAL allowance.
    let configuredBudgetPages: Int64
    /// The WAL's size after a checkpoint truncates it.
    let journalSizeLimit: Int64
    /// Pages the file may use now: `configuredBudgetPages`, or less on a filesystem that cannot
    /// hold that much (FilesystemRoom.swift).
    var budgetPages: Int64 { budgetNow.load(ordering: .relaxed) }
    let budgetNow = Atomic<Int64>(0)
    /// Invariant: the state mirrors the committed database, except that totals marked dirty are
    /// not yet in `series_stats` (they are recoverable from disk), and except when `isStale` is
    /// set after a failed transaction (then it is reloaded before any use). The lock is held for
    /// each whole operation, so no one observes the mirror half-way through a transaction.
    let state: Mutex<WriterState>

    /// Opens (creating if needed) the database file, sets and checks the pragmas, and migrates.
    ///
    /// - Throws: `StoreError` saying what is wrong with the settings, the directory or the file.
    public init(settings: StoreSettings, logger: Logger) throws {
        try settings.validate()
        var logger = logger
        logger[metadataKey: "buffer.path"] = "\(settings.path)"

        let directory = URL(fileURLWithPath: settings.path).deletingLastPathComponent().path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw StoreError.directoryMissing(path: settings.path)
        }

        let limits = StorageLimits(maxSize: settings.maxSize)
        var configuration = Configuration()
        configuration.label = "streetgate.buffer.writer"
        configuration.foreignKeysEnabled = false  // the schema has none: nothing to check per insert
        configuration.busyMode = .timeout(5)      // a checkpoint may wait briefly for a reader

        let queue: DatabaseQueue
        let pragmas: ConnectionPragmas
        let initial: WriterState
        do {
            queue = try DatabaseQueue(path: settings.path, configuration: configuration)
            pragmas = try queue.writeWithoutTransaction { db in
                try WriterPragmas.apply(to: db, sync: settings.sync, limits: limits)
            }
            try Migrations.migrate(queue, path: settings.path)
            try LegacyReadings.move(queue, logger: logger)
            initial = try queue.write { db in
                _ = try DeadLetterTable.cap(limit: settings.deadLetterLimit, in: db)  // a lowered limit applies at once
                return try WriterState.load(db)
            }
        } catch let error as DatabaseError where [.SQLITE_CORRUPT, .SQLITE_NOTADB].contains(error.resultCode) {
            throw StoreError.corrupt(path: settings.path, reason: "\(error)")
        } catch let error as DatabaseError {
            throw StoreError.cannotOpen(path: settings.path, reason: "\(error)")
        }

        self.settings = settings
        self.queue = queue
        self.logger = logger
        self.pageSize = pragmas.pageSize
        self.configuredBudgetPages = limits.maxPageCount(pageSize: pragmas.pageSize)
        self.journalSizeLimit = limits.journalSizeLimit
        self.state = Mutex(initial)
        budgetNow.store(configuredBudgetPages, ordering: .relaxed)

        if pragmas.maxPageCount > configuredBudgetPages {
            logger.warning(
                "the buffer database is larger than max_size: the oldest readings will be evicted, but the file only shrinks with VACUUM",
                metadata: ["buffer.pages": "\(pragmas.maxPageCount)", "buffer.budget_pages": "\(configuredBudgetPages)"]
            )
        }
        logger.info(
            "buffer opened",
            metadata: [
                "buffer.series": "\(initial.series.entries.count)",
                "buffer.sync": "\(settings.sync.rawValue)",
                "buffer.max_size": "\(settings.maxSize)",
            ]
        )
    }

    /// Flushes the per-series figures, checkpoints the WAL into the file and truncates it, and
    /// closes the connection. Later calls to the writer throw `StoreError.closed`.
    public func close() throws {
        try state.withLock { state in
            guard !state.isClosed else { return }
            var failure: (any Error)?
            do {
                try prepare(&state)
                _ = try queue.write { db in try state.flushStats(db) }
                let checkpoint = try queue.writeWithoutTransaction { db in
                    try Row.fetchOne(db, sql: "PRAGMA wal_checkpoint(TRUNCATE)")
                }
                if let checkpoint, checkpoint[0] as Int != 0 {
                    logger.notice("the WAL was not fully checkpointed on close: a reader was active")
                }
            } catch {
                failure = error
            }
            state.isClosed = true
            do {
                try queue.close()
            } catch {
                failure = failure ?? error
            }
            if let failure { throw failure }
            logger.info("buffer closed")
        }
    }

    /// Checks the writer is open, and rebuilds a stale state from disk.
    func prepare(_ state: inout WriterState) throws {
        guard !state.isClosed else { throw StoreError.closed }
        if state.isStale {
            try state.reload(from: queue)
        }
    }

    /// The connection's settings as SQLite reports them.
    func currentPragmas() throws -> ConnectionPragmas {
        try state.withLock { state in
            guard !state.isClosed else { throw StoreError.closed }
            return try queue.inDatabase { db in try ConnectionPragmas.read(db) }
        }
    }
}
