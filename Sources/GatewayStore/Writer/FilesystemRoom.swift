import GRDB
import Glibc
import Logging
import Synchronization

/// The page budget in force: `max_size`'s, or less when the filesystem cannot hold that much.
///
/// A filesystem that fills below `max_size` (an SD card shared with logs) would meet SQLite with
/// ENOSPC, and then nothing can be written, not even the deletes that would make room: their WAL
/// frames need space too. So the budget is also bounded by what the filesystem can give the
/// buffer (its files plus the free space) less room for the WAL, and SQLite is told
/// (`max_page_count`): commits meet SQLITE_FULL at the budget and eviction makes room the usual
/// way, while the WAL still has space. Refreshed at every maintenance pass and on SQLITE_FULL.
extension BufferWriter {
    func refreshBudget() throws {
        let budget = Self.budgetPages(
            configured: configuredBudgetPages, filesystemRoom: Self.filesystemRoom(of: settings.path),
            journalSizeLimit: journalSizeLimit, pageSize: pageSize
        )
        let previous = budgetNow.exchange(budget, ordering: .relaxed)
        guard budget != previous else { return }
        // SQLite keeps max_page_count at least at the file's current size: eviction then works the
        // used pages down and the freed ones are reused.
        _ = try queue.writeWithoutTransaction { db in try Int64.fetchOne(db, sql: "PRAGMA max_page_count = \(budget)") }
        let metadata: Logger.Metadata = ["buffer.budget_bytes": "\(budget * pageSize)", "buffer.max_size": "\(settings.maxSize)"]
        if budget < configuredBudgetPages {
            logger.warning("the filesystem of the buffer holds less than max_size: the buffer keeps within what it can hold", metadata: metadata)
        } else if previous != 0 {
            logger.notice("the filesystem has room for max_size again", metadata: metadata)
        }
    }

    /// `configured`, or the pages that fit in `filesystemRoom` bytes after a reserve for the WAL
    /// (twice the size it is truncated back to; on a small filesystem 60 % of the room, since a
    /// checkpoint that cannot complete lets the WAL outgrow that size), never below 64 pages.
    static func budgetPages(configured: Int64, filesystemRoom: Int64?, journalSizeLimit: Int64, pageSize: Int64) -> Int64 {
        guard let room = filesystemRoom else { return configured }
        let walReserve = min(2 * journalSizeLimit, room * 6 / 10)
        return min(configured, max(64, (room - walReserve) / pageSize))
    }

    /// The buffer's files plus the free space of their filesystem, or nil when it cannot be read.
    static func filesystemRoom(of path: String) -> Int64? {
        var filesystem = statvfs()
        let directory = path.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        guard statvfs(directory.isEmpty ? "." : directory, &filesystem) == 0 else { return nil }
        let free = Int64(filesystem.f_bavail) * Int64(filesystem.f_frsize)
        let files = [path, path + "-wal", path + "-shm"].reduce(Int64(0)) { total, file in
            var info = stat()
            return stat(file, &info) == 0 ? total + Int64(info.st_blocks) * 512 : total
        }
        return free + files
    }
}
