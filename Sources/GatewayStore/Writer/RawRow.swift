import GRDB
import GRDBSQLite

/// A row read through SQLite's C API, column by index, with no `Row` object and no
/// `DatabaseValueConvertible` decoding per row: the writer reads every series and its figures this
/// way at start (50,000 rows with 10,000 sensors).
struct RawRow {
    private let statement: SQLiteStatement

    func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(statement, column) }

    func double(_ column: Int32) -> Double { sqlite3_column_double(statement, column) }

    func isNull(_ column: Int32) -> Bool { sqlite3_column_type(statement, column) == SQLITE_NULL }

    func text(_ column: Int32) -> String {
        guard let bytes = sqlite3_column_text(statement, column) else { return "" }
        let count = Int(sqlite3_column_bytes(statement, column))
        return String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
    }

    /// Runs `sql` with its integer `arguments` bound in order, and calls `body` with each row.
    static func forEach(in db: Database, sql: String, arguments: [Int64] = [], _ body: (RawRow) throws -> Void) throws {
        let statement = try db.makeStatement(sql: sql)
        let handle = statement.sqliteStatement
        for (index, argument) in arguments.enumerated() {
            sqlite3_bind_int64(handle, Int32(index + 1), argument)
        }
        while true {
            let code = sqlite3_step(handle)
            if code == SQLITE_DONE { return }
            guard code == SQLITE_ROW else {
                throw DatabaseError(resultCode: ResultCode(rawValue: code), message: db.lastErrorMessage, sql: sql)
            }
            try body(RawRow(statement: handle))
        }
    }
}
