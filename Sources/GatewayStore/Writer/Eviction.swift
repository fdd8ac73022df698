import GRDB
import Logging

/// The size bound: SQLite refuses to grow the file past the page budget (SQLITE_FULL); before
/// that, the oldest raw readings make room, in bursts from the high mark down to the low mark.
extension BufferWriter {
    /// Pages in use: the file's pages minus those on the free list.
    func usedPages() throws -> Int64 {
        try queue.inDatabase { db in
            let pages = try Int64.fetchOne(db, sql: "PRAGMA page_count") ?? 0
            let free = try Int64.fetchOne(db, sql: "PRAGMA freelist_count") ?? 0
            return pages - free
        }
    }

    /// Deletes the oldest readings (lowest ids) until at most `targetPages` are in use.
    func evictOldestReadings(downTo targetPages: Int64, _ state: inout WriterState) throws -> Int {
        var evicted = 0
        while try usedPages() > targetPages {
            let deleted = try queue.write { db in
                try db.execute(
                    sql: "DELETE FROM reading WHERE id IN (SELECT id FROM reading WHERE id < ? ORDER BY id LIMIT ?)",
                    arguments: [state.lastReadingID, Self.deletionChunk]
                )
                let deleted = db.changesCount
                try BufferCounter.evictedReadings.add(deleted, in: db)
                if deleted > 0 {
                    try state.flushStats(db)
                }
                return deleted
            }
            if deleted == 0 { break }  // no reading left to evict: the rest is not ours to drop
            evicted += deleted
        }
        return evicted
    }

    func logEviction(_ count: Int, during activity: String) {
        guard count > 0 else { return }
        logger.warning(
            "the buffer reached its size limit during \(activity): evicted the oldest readings",
            metadata: ["readings.evicted": "\(count)", "buffer.max_size": "\(settings.maxSize)"]
        )
    }
}
