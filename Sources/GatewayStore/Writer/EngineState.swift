import Foundation
import GRDB
import GatewayCore
import Synchronization

/// The rules' and windows' saved state, for picking up after a restart.
extension BufferWriter {
    /// Saves the rules engine's snapshot (opaque bytes) and the last arrival number it includes
    /// (`latestArrival()` when it was taken), in one transaction. After a restart, the readings
    /// that arrived later are fed to the engine again; the alert events they raise once more are
    /// already stored and ignored.
    public func saveRulesSnapshot(_ snapshot: [UInt8], throughArrival: Int64) throws {
        _ = try writeMakingRoom { state in
            try queue.write { db in
                try EngineStateTable.save(EngineStateTable.rulesSnapshot, Data(snapshot), in: db)
                try state.arrivals.rulesSaved(through: throughArrival, in: db)
            }
            return CommitReport()
        }
    }

    /// The last saved rules snapshot and the arrival number it covers, or nil if none was saved.
    public func rulesSnapshot() throws -> (snapshot: [UInt8], throughArrival: Int64)? {
        try state.withLock { state in
            try prepare(&state)
            return try queue.read { db in
                guard
                    let snapshot = try EngineStateTable.load(EngineStateTable.rulesSnapshot, as: Data.self, in: db),
                    let through = try EngineStateTable.load(EngineStateTable.rulesThroughArrival, as: Int64.self, in: db)
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

    /// The latest time among the readings that arrived after `afterArrival`, or nil if there are
    /// none: what a restart that does not re-read those readings still needs of them.
    public func latestReadingTime(afterArrival: Int64) throws -> Timestamp? {
        try state.withLock { state in
            try prepare(&state)
            let floor = state.arrivals.floor(after: afterArrival)
            guard floor != .max else { return nil }
            return try queue.read { db in
                // All of them: the end of the time key. After a watermark: from its floor on.
                let latest = floor == .min && afterArrival <= 0
                    ? try Int64.fetchOne(db, sql: "SELECT max(t) FROM reading")
                    : try Int64.fetchOne(db, sql: "SELECT max(t) FROM reading WHERE t >= ? AND arrival > ?", arguments: [floor, afterArrival])
                return latest.map(Timestamp.init(milliseconds:))
            }
        }
    }
}
