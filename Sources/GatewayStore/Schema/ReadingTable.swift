import GRDB

/// `reading`: keyed by (time, series), so the oldest readings are the head of its one B-tree.
enum ReadingTable {
    /// Deletes up to `limit` of the oldest readings, only those older than `cutoff`, as one range
    /// of the key: first the key of the last row to go, then everything up to it. Returns how many
    /// went.
    static func deleteOldest(limit: Int, before cutoff: Int64 = .max, in db: Database) throws -> Int {
        guard let last = try Row.fetchOne(
            db.cachedStatement(sql: "SELECT t, series FROM reading WHERE t < ? ORDER BY t, series LIMIT 1 OFFSET ?"),
            arguments: [cutoff, limit - 1]
        ) else {
            // Fewer than `limit` left before the cutoff: all of them.
            try db.cachedStatement(sql: "DELETE FROM reading WHERE t < ?").execute(arguments: [cutoff])
            return db.changesCount
        }
        try db.cachedStatement(sql: "DELETE FROM reading WHERE (t, series) <= (?, ?)")
            .execute(arguments: [last[0] as Int64, last[1] as Int64])
        return db.changesCount
    }
}
