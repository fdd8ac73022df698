import GRDB
import GRDBSQLite
import GatewayCore

/// The aggregates of a hub's next batch, read through SQLite's C API column by index, on statements
/// prepared once by GRDB's statement cache.
///
/// A batch is up to 500 rows; through GRDB's `Row` (a row object and a `DatabaseValueConvertible`
/// decoding per column) and a statement prepared per batch, reading them cost a third as much as
/// encoding the batch. These statements run only inside the writer's transactions, where GRDB's
/// per-statement hooks have nothing to do, as for `ReadingInserter`.
struct BatchRows {
    /// In id order, which is the order they were emitted in.
    var aggregates: [Aggregate] = []
    /// The id of the last of them; nil when there are none.
    var lastID: Int64?

    private static let selectSQL = "SELECT id, \(AggregateTable.columns) FROM aggregate"
    private static let afterSQL = selectSQL + " WHERE id > ? ORDER BY id LIMIT ?"
    private static let betweenSQL = selectSQL + " WHERE id BETWEEN ? AND ? ORDER BY id LIMIT ?"

    /// Up to `limit` aggregates with an id above `cursor`.
    static func after(_ cursor: Int64, limit: Int, in db: Database) throws -> BatchRows {
        try read(sql: afterSQL, arguments: [cursor, Int64(max(1, limit))], reserving: limit, in: db)
    }

    /// Up to `limit` aggregates with an id from `first` to `last`.
    static func between(_ first: Int64, _ last: Int64, limit: Int, in db: Database) throws -> BatchRows {
        try read(sql: betweenSQL, arguments: [first, last, Int64(max(1, limit))], reserving: limit, in: db)
    }

    private static func read(sql: String, arguments: [Int64], reserving capacity: Int, in db: Database) throws -> BatchRows {
        let statement = try db.cachedStatement(sql: sql)
        let handle = statement.sqliteStatement
        sqlite3_reset(handle)  // bindings are only accepted on a reset statement
        // Reset again when done, so the statement holds no read cursor until its next use.
        defer { sqlite3_reset(handle) }
        for (index, argument) in arguments.enumerated() {
            sqlite3_bind_int64(handle, Int32(index + 1), argument)
        }
        var rows = BatchRows()
        rows.aggregates.reserveCapacity(max(1, min(capacity, 10_000)))
        while true {
            let code = sqlite3_step(handle)
            if code == SQLITE_DONE { return rows }
            guard code == SQLITE_ROW else {
                throw DatabaseError(resultCode: ResultCode(rawValue: code), message: db.lastErrorMessage, sql: sql)
            }
            rows.lastID = sqlite3_column_int64(handle, 0)
            rows.aggregates.append(aggregate(at: handle))
        }
    }

    /// The aggregate in the current row, selected as `id, ` then `AggregateTable.columns`.
    private static func aggregate(at handle: SQLiteStatement) -> Aggregate {
        Aggregate(
            sensor: text(handle, 1), metric: text(handle, 2),
            start: Timestamp(milliseconds: sqlite3_column_int64(handle, 3)),
            windowSeconds: Int(sqlite3_column_int64(handle, 4)), count: Int(sqlite3_column_int64(handle, 5)),
            min: sqlite3_column_double(handle, 6), max: sqlite3_column_double(handle, 7),
            sum: sqlite3_column_double(handle, 8), last: sqlite3_column_double(handle, 9),
            lastTime: Timestamp(milliseconds: sqlite3_column_int64(handle, 10)),
            rev: Int(sqlite3_column_int64(handle, 11))
        )
    }

    /// Text columns are stored as UTF-8; the bytes are copied before the next step frees them.
    private static func text(_ handle: SQLiteStatement, _ column: Int32) -> String {
        guard let bytes = sqlite3_column_text(handle, column) else { return "" }
        let count = Int(sqlite3_column_bytes(handle, column))
        return String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
    }
}
