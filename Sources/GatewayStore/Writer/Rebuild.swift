import GRDB
import GatewayCore
import Synchronization

/// Reading the buffer back through the writer, to rebuild the rules' and windows' state after a
/// restart before the first commit.
///
/// Both streams hold the writer's lock and one read transaction while `body` runs: `body` must not
/// call the writer, and should be quick (the WAL cannot be checkpointed meanwhile).
extension BufferWriter {
    /// The highest reading id stored so far, 0 when none was. Ids only grow, and that row is never
    /// deleted, so it marks how far the readings go (see `saveRulesSnapshot`).
    public func maxReadingID() throws -> Int64 {
        try state.withLock { state in
            try prepare(&state)
            return state.lastReadingID
        }
    }

    /// Streams the readings with an id above `afterID`, in id (arrival) order, through a cursor.
    public func readings(afterID: Int64, _ body: (Int64, Reading) throws -> Void) throws {
        try stream(sql: "SELECT id, series, t, value FROM reading WHERE id > ? ORDER BY id", afterID, body)
    }

    /// Streams the readings whose time is at or after `since`, in id (arrival) order, through a
    /// cursor.
    ///
    /// The time index finds them and SQLite sorts them by id: after a restart they are the last
    /// few windows' worth. Left to itself the planner would scan the whole table in id order.
    public func readings(since: Timestamp, _ body: (Reading) throws -> Void) throws {
        try stream(sql: Self.readingsSinceSQL, since.milliseconds) { _, reading in try body(reading) }
    }

    static let readingsSinceSQL = "SELECT id, series, t, value FROM reading INDEXED BY reading_by_time WHERE t >= ? ORDER BY id"

    private func stream(sql: String, _ argument: Int64, _ body: (Int64, Reading) throws -> Void) throws {
        try state.withLock { state in
            try prepare(&state)
            try queue.read { db in
                // Every series is in the writer's memory: join them there.
                let names = state.series.names()
                let rows = try Row.fetchCursor(db, sql: sql, arguments: [argument])
                while let row = try rows.next() {
                    let id: Int64 = row[0]
                    guard let series = names[row[1]] else {
                        throw StoreError.unreadableRow(table: "reading", id: id, reason: "no series \(row[1] as Int64)")
                    }
                    try body(id, Reading(sensor: series.sensor, metric: series.metric, time: Timestamp(milliseconds: row[2]), value: row[3]))
                }
            }
        }
    }
}
