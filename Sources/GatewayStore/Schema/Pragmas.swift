import GRDB
import GatewayCore

/// The connection settings the buffer relies on, as SQLite reports them back.
struct ConnectionPragmas: Sendable, Equatable {
    var journalMode: String
    /// 0 OFF, 1 NORMAL, 2 FULL, 3 EXTRA.
    var synchronous: Int
    var foreignKeys: Bool
    var pageSize: Int64
    var maxPageCount: Int64
    var journalSizeLimit: Int64
    var walAutocheckpoint: Int64
    var busyTimeoutMilliseconds: Int

    static func read(_ db: Database) throws -> ConnectionPragmas {
        func integer(_ pragma: String) throws -> Int64 {
            try Int64.fetchOne(db, sql: "PRAGMA \(pragma)") ?? -1
        }
        return try ConnectionPragmas(
            journalMode: String.fetchOne(db, sql: "PRAGMA journal_mode") ?? "",
            synchronous: Int(integer("synchronous")),
            foreignKeys: integer("foreign_keys") != 0,
            pageSize: integer("page_size"),
            maxPageCount: integer("max_page_count"),
            journalSizeLimit: integer("journal_size_limit"),
            walAutocheckpoint: integer("wal_autocheckpoint"),
            busyTimeoutMilliseconds: Int(integer("busy_timeout"))
        )
    }
}

extension SyncMode {
    /// The value of `PRAGMA synchronous` for this mode.
    var pragmaValue: Int {
        switch self {
        case .normal: 1
        case .full: 2
        }
    }
}

enum WriterPragmas {
    /// Sets up the writer's connection and checks that SQLite took every setting.
    ///
    /// Returns the page budget (`max_page_count`) actually in force, which is larger than asked
    /// for when an existing file is already bigger than a lowered `max_size` (SQLite never lowers
    /// it below the current size; eviction then works the used pages down, but the file only
    /// shrinks with a VACUUM).
    static func apply(to db: Database, sync: SyncMode, limits: StorageLimits) throws -> ConnectionPragmas {
        // Only takes effect on a new, empty file: before the first table and before WAL.
        try db.execute(sql: "PRAGMA page_size = \(StorageLimits.pageSize)")

        let journalMode = try String.fetchOne(db, sql: "PRAGMA journal_mode = WAL")
        try expect("journal_mode", "wal", journalMode ?? "nothing")

        try db.execute(sql: "PRAGMA synchronous = \(sync.pragmaValue)")
        try db.execute(sql: "PRAGMA foreign_keys = OFF")

        let sizeLimit = try Int64.fetchOne(db, sql: "PRAGMA journal_size_limit = \(limits.journalSizeLimit)")
        try expect("journal_size_limit", "\(limits.journalSizeLimit)", sizeLimit.map(String.init) ?? "nothing")

        let autocheckpoint = try Int64.fetchOne(db, sql: "PRAGMA wal_autocheckpoint = \(limits.walAutocheckpointPages)")
        try expect("wal_autocheckpoint", "\(limits.walAutocheckpointPages)", autocheckpoint.map(String.init) ?? "nothing")

        let pageSize = try Int64.fetchOne(db, sql: "PRAGMA page_size") ?? StorageLimits.pageSize
        let budget = limits.maxPageCount(pageSize: pageSize)
        let maxPageCount = try Int64.fetchOne(db, sql: "PRAGMA max_page_count = \(budget)") ?? 0
        if maxPageCount < budget {
            throw StoreError.pragmaNotApplied(pragma: "max_page_count", expected: "\(budget)", actual: "\(maxPageCount)")
        }

        let pragmas = try ConnectionPragmas.read(db)
        try expect("synchronous", "\(sync.pragmaValue)", "\(pragmas.synchronous)")
        try expect("foreign_keys", "0", pragmas.foreignKeys ? "1" : "0")
        return pragmas
    }

    private static func expect(_ pragma: String, _ expected: String, _ actual: String) throws(StoreError) {
        guard actual == expected else {
            throw .pragmaNotApplied(pragma: pragma, expected: expected, actual: actual)
        }
    }
}
