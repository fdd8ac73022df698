import Foundation
import GRDB
import GatewayCore
import Logging

/// The readings of a buffer written before v4, moved into `reading` at the first start after it.
///
/// The v4 migration renames the old rowid table to `reading_v3` and leaves its rows there; this
/// moves them oldest first, 10,000 a transaction (copied with their id as arrival number, then
/// deleted), so the file never holds both tables and the WAL stays within its share of `max_size`:
/// each chunk frees more pages (48 bytes a reading) than it takes (about 30). A start that is
/// killed half-way carries on from where it was. A chunk that meets SQLITE_FULL (a buffer already
/// at its page budget) is dropped instead and counted as evicted, as the size bound would.
enum LegacyReadings {
    static let table = "reading_v3"
    static let chunk = 10_000

    /// Moves every remaining row; returns how many were moved and how many evicted.
    @discardableResult
    static func move(_ queue: DatabaseQueue, logger: Logger) throws -> (moved: Int, evicted: Int) {
        guard try queue.read({ db in try db.tableExists(table) }) else { return (0, 0) }
        let started = ContinuousClock.now
        var moved = 0
        var evicted = 0
        while true {
            let last: Row? = try queue.read { db in
                try Row.fetchOne(db, sql: """
                    SELECT t, series FROM \(table) INDEXED BY reading_by_time
                    ORDER BY t, series LIMIT 1 OFFSET \(chunk - 1)
                    """)
            }
            // The rows up to `last` (all of them, on the last chunk), oldest first.
            let range = last == nil ? "1" : "(t, series) <= (?, ?)"
            let arguments: StatementArguments = last.map { [$0[0] as Int64, $0[1] as Int64] } ?? []
            do {
                moved += try queue.write { db in
                    try db.execute(sql: """
                        INSERT INTO reading (t, series, value, arrival)
                            SELECT t, series, value, id FROM \(table) WHERE \(range) ORDER BY t, series
                        """, arguments: arguments)
                    let copied = db.changesCount
                    try db.execute(sql: "DELETE FROM \(table) WHERE \(range)", arguments: arguments)
                    return copied
                }
            } catch let error as DatabaseError where error.resultCode == .SQLITE_FULL {
                evicted += try queue.write { db in
                    try db.execute(sql: "DELETE FROM \(table) WHERE \(range)", arguments: arguments)
                    let deleted = db.changesCount
                    try BufferCounter.evictedReadings.add(deleted, in: db)
                    return deleted
                }
            }
            guard last != nil else { break }
        }
        try queue.write { db in try db.execute(sql: "DROP TABLE \(table)") }
        logger.notice("buffer upgraded: readings rekeyed by time", metadata: [
            "readings.moved": "\(moved)", "readings.evicted": "\(evicted)",
            "duration_ms": "\(DurationText.milliseconds(of: ContinuousClock.now - started))",
        ])
        return (moved, evicted)
    }
}
