import Foundation
import GRDB
import GatewayCore
import Synchronization

/// The rules' and windows' saved state, for picking up after a restart.
extension BufferWriter {
    /// Saves the rules engine's snapshot (opaque bytes) and the highest reading id it includes, in
    /// one transaction. After a restart, the readings above that id are fed to the engine again;
    /// the alert events they raise once more are already stored and ignored.
    public func saveRulesSnapshot(_ snapshot: [UInt8], throughReading: Int64) throws {
        _ = try writeMakingRoom { _ in
            try queue.write { db in
                try EngineStateTable.save(EngineStateTable.rulesSnapshot, Data(snapshot), in: db)
                try EngineStateTable.save(EngineStateTable.rulesThroughReading, throughReading, in: db)
            }
            return CommitReport()
        }
    }

    /// The last saved rules snapshot and the reading id it covers, or nil if none was saved.
    public func rulesSnapshot() throws -> (snapshot: [UInt8], throughReading: Int64)? {
        try state.withLock { state in
            try prepare(&state)
            return try queue.read { db in
                guard
                    let snapshot = try EngineStateTable.load(EngineStateTable.rulesSnapshot, as: Data.self, in: db),
                    let through = try EngineStateTable.load(EngineStateTable.rulesThroughReading, as: Int64.self, in: db)
                else { return nil }
                return (Array(snapshot), through)
            }
        }
    }

    /// The windows' watermark saved with the last aggregates (`DerivedRecords.windowsClosedBefore`),
    /// or nil if none was saved.
    public func windowsClosedBefore() throws -> Timestamp? {
        try state.withLock { state in
            try prepare(&state)
            return try queue.read { db in
                try EngineStateTable.load(EngineStateTable.windowsClosedBefore, as: Int64.self, in: db)
                    .map(Timestamp.init(milliseconds:))
            }
        }
    }

    /// The latest time among the readings with an id above `afterID`, or nil if there are none:
    /// what a restart that does not re-read those readings still needs of them.
    public func latestReadingTime(afterID: Int64) throws -> Timestamp? {
        try state.withLock { state in
            try prepare(&state)
            return try queue.read { db in
                // All of them: the end of the time index. Above an id: those ids only, since walking
                // the time index back to the first id above would read all of it when none is.
                let latest = afterID <= 0
                    ? try Int64.fetchOne(db, sql: "SELECT max(t) FROM reading")
                    : try Int64.fetchOne(db, sql: "SELECT max(t) FROM reading NOT INDEXED WHERE id > ?", arguments: [afterID])
                return latest.map(Timestamp.init(milliseconds:))
            }
        }
    }
}
