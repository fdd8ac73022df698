/// The page budget and WAL settings derived from `max_size`.
///
/// SQLite is told the budget as `max_page_count`, so the main file itself refuses to grow past it
/// (SQLITE_FULL); the rest of `max_size` is left for the WAL, which the checkpoint settings keep
/// well inside that allowance.
struct StorageLimits: Sendable, Equatable {
    /// Set before the first table; 4 KiB matches the SD card's and the kernel's pages.
    static let pageSize: Int64 = 4_096
    /// Each WAL frame carries a 24-byte header besides its page.
    static let walFrameOverhead: Int64 = 24

    /// The whole budget: database file plus WAL.
    let maxSize: Int64
    /// The part of `maxSize` left for the WAL: a quarter, between 1 MiB and 8 MiB.
    let walAllowance: Int64
    /// Pages after which a commit checkpoints the WAL: at most half the allowance, at most 1000.
    let walAutocheckpointPages: Int64
    /// The size the WAL is truncated back to after a checkpoint.
    let journalSizeLimit: Int64

    init(maxSize: Int64) {
        self.maxSize = maxSize
        walAllowance = min(max(maxSize / 4, 1 << 20), 8 << 20)
        walAutocheckpointPages = min(1_000, walAllowance / 2 / (Self.pageSize + Self.walFrameOverhead))
        journalSizeLimit = walAllowance / 2
    }

    /// The most pages the main file may hold, for the page size the file actually has.
    func maxPageCount(pageSize: Int64) -> Int64 {
        (maxSize - walAllowance) / pageSize
    }
}

/// When the size bound evicts, as a share of the page budget: above the high mark the oldest
/// readings go until used pages are back under the low mark, so eviction runs in bursts rather
/// than on every maintenance pass.
enum EvictionMarks {
    static func high(budgetPages: Int64) -> Int64 { budgetPages * 9 / 10 }
    static func low(budgetPages: Int64) -> Int64 { budgetPages * 8 / 10 }
}
