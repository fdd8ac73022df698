import GRDB
import GRDBSQLite
import GatewayCore

/// The `aggregate` outbox: every emitted revision of every closed window, in emission order.
enum AggregateTable {
    static let columns = "sensor, metric, start, window_s, count, min, max, sum, last, last_t, rev"

    /// Inserts `aggregates` in order in the caller's transaction, ignoring any revision already
    /// stored; returns how many were new.
    ///
    /// A window closing emits an aggregate per series at once (10,000 rows a minute on a large
    /// gateway), so this is a hot path of its own: rows are bound through the C API on cached
    /// statements, 32 per statement. Several rows per statement also pay once for what
    /// AUTOINCREMENT does per statement (reading and writing `sqlite_sequence`): measured, one row
    /// per statement cost about twice as much.
    static func insert(_ aggregates: [Aggregate], in db: Database) throws -> Int {
        guard !aggregates.isEmpty else { return 0 }
        var inserted = 0
        var rest = aggregates[...]
        if rest.count >= rowsPerStatement {
            let multiple = try db.cachedStatement(sql: multipleSQL)
            while rest.count >= rowsPerStatement {
                inserted += try insert(rest.prefix(rowsPerStatement), with: multiple, in: db)
                rest = rest.dropFirst(rowsPerStatement)
            }
        }
        if !rest.isEmpty {
            let single = try db.cachedStatement(sql: singleSQL)
            for aggregate in rest {
                inserted += try insert(CollectionOfOne(aggregate), with: single, in: db)
            }
        }
        try BufferCounter.storedAggregates.add(inserted, in: db)
        return inserted
    }

    static let rowsPerStatement = 32
    private static let insertSQL = "INSERT OR IGNORE INTO aggregate (\(columns)) VALUES "
    private static let rowSQL = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
    private static let singleSQL = insertSQL + rowSQL
    private static let multipleSQL = insertSQL + Array(repeating: rowSQL, count: rowsPerStatement).joined(separator: ", ")

    /// Runs `statement` with one row of parameters per aggregate; returns the rows inserted.
    private static func insert(_ rows: some Collection<Aggregate>, with statement: Statement, in db: Database) throws -> Int {
        let handle = statement.sqliteStatement
        sqlite3_reset(handle)  // bindings are only accepted on a reset statement
        for (index, aggregate) in rows.enumerated() {
            let offset = Int32(index) * 11
            bindText(aggregate.sensor, at: offset + 1, to: handle)
            bindText(aggregate.metric, at: offset + 2, to: handle)
            sqlite3_bind_int64(handle, offset + 3, aggregate.start.milliseconds)
            sqlite3_bind_int64(handle, offset + 4, Int64(aggregate.windowSeconds))
            sqlite3_bind_int64(handle, offset + 5, Int64(aggregate.count))
            sqlite3_bind_double(handle, offset + 6, aggregate.min)
            sqlite3_bind_double(handle, offset + 7, aggregate.max)
            sqlite3_bind_double(handle, offset + 8, aggregate.sum)
            sqlite3_bind_double(handle, offset + 9, aggregate.last)
            sqlite3_bind_int64(handle, offset + 10, aggregate.lastTime.milliseconds)
            sqlite3_bind_int64(handle, offset + 11, Int64(aggregate.rev))
        }
        let code = sqlite3_step(handle)
        guard code == SQLITE_DONE else {
            let error = DatabaseError(resultCode: ResultCode(rawValue: code), message: db.lastErrorMessage, sql: statement.sql)
            sqlite3_reset(handle)
            throw error
        }
        return Int(sqlite3_changes(db.sqliteConnection))
    }

    /// The aggregate in a row selected as `id, ` then `columns`, in that order.
    static func aggregate(from row: Row) -> Aggregate {
        Aggregate(
            sensor: row[1], metric: row[2], start: Timestamp(milliseconds: row[3]), windowSeconds: row[4],
            count: row[5], min: row[6], max: row[7], sum: row[8], last: row[9],
            lastTime: Timestamp(milliseconds: row[10]), rev: row[11]
        )
    }

    /// SQLite copies the text (SQLITE_TRANSIENT): the C string only lives for the call.
    private static func bindText(_ text: String, at index: Int32, to handle: SQLiteStatement) {
        sqlite3_bind_text(handle, index, text, -1, transient)
    }

    private static var transient: sqlite3_destructor_type {
        unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)
    }
}
