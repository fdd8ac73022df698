import GRDB
import GatewayCore
import Synchronization

/// Reading the buffer back through the writer, to rebuild the rules' and windows' state after a
/// restart before the first commit.
///
/// Both streams hold the writer's lock and one read transaction while `body` runs: `body` must not
/// call the writer, and should be quick (the WAL cannot be checkpointed meanwhile). An unreadable
/// reading is named by its time.
extension BufferWriter {
    /// The arrival number of the last reading stored so far, 0 when none was: a watermark for
    /// `saveRulesSnapshot`. Numbers only grow and are never handed out twice.
    public func latestArrival() throws -> Int64 {
        try state.withLock { state in
            try prepare(&state)
            return state.arrivals.lastCommitted
        }
    }

    /// Streams the readings that arrived after `afterArrival`, in arrival order (time order within
    /// one insert statement), through a cursor. After a saved watermark they are found from its
    /// floor (`ArrivalMarks`) and sorted; from 0, that is every reading, streamed in time order.
    public func readings(afterArrival: Int64, _ body: (Reading) throws -> Void) throws {
        try state.withLock { state in
            try prepare(&state)
            let floor = state.arrivals.floor(after: afterArrival)
            guard floor != .max else { return }
            if floor == .min && afterArrival <= 0 {
                try stream(sql: "SELECT series, t, value FROM reading ORDER BY t, series", state: state, body)
            } else {
                try stream(sql: Self.readingsAfterSQL, arguments: [floor, afterArrival], state: state, body)
            }
        }
    }

    /// Streams the readings whose time is at or after `since`, in arrival order (time order within
    /// one insert statement), through a cursor: after a restart they are the last few windows'
    /// worth, found by the time key and sorted.
    public func readings(since: Timestamp, _ body: (Reading) throws -> Void) throws {
        try state.withLock { state in
            try prepare(&state)
            try stream(sql: Self.readingsSinceSQL, arguments: [since.milliseconds], state: state, body)
        }
    }

    static let readingsAfterSQL = "SELECT series, t, value FROM reading WHERE t >= ? AND arrival > ? ORDER BY arrival, t, series"
    static let readingsSinceSQL = "SELECT series, t, value FROM reading WHERE t >= ? ORDER BY arrival, t, series"

    private func stream(sql: String, arguments: [Int64] = [], state: WriterState, _ body: (Reading) throws -> Void) throws {
        try queue.read { db in
            // Every series is in the writer's memory: join them there.
            let names = state.series.names()
            try RawRow.forEach(in: db, sql: sql, arguments: arguments) { row in
                guard let series = names[row.int64(0)] else {
                    throw StoreError.unreadableRow(table: "reading", id: row.int64(1), reason: "its series \(row.int64(0)) is unknown")
                }
                try body(Reading(sensor: series.sensor, metric: series.metric, time: Timestamp(milliseconds: row.int64(1)), value: row.double(2)))
            }
        }
    }
}
