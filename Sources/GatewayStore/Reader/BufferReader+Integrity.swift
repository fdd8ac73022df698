import GRDB

extension BufferReader {
    /// SQLite's `PRAGMA quick_check`, read-only: an empty array when the file is sound, else the
    /// first `limit` problems SQLite reports. It reads the whole file, so it takes seconds on a
    /// large buffer on slow storage: for `streetgate check --online`, not for `status`.
    ///
    /// - Throws: `StoreError.cannotOpen` with SQLite's reason when the file cannot be read at all.
    public func integrityProblems(limit: Int = 20) throws -> [String] {
        do {
            let lines = try queue.read { db in
                try String.fetchAll(db, sql: "PRAGMA quick_check(\(max(1, limit)))")
            }
            return lines == ["ok"] ? [] : lines
        } catch let error as DatabaseError {
            throw StoreError.cannotOpen(path: path, reason: "\(error)")
        }
    }
}
