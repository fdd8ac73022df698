import Foundation
import GRDB
import GatewayCore

/// `engine_state`: the few named values the rules and windows need to pick up after a restart.
enum EngineStateTable {
    /// The rules engine's snapshot, opaque to the store.
    static let rulesSnapshot = "rules.snapshot"
    /// The highest arrival number the snapshot includes: later readings are fed again on restart.
    static let rulesThroughArrival = "rules.through_arrival"
    /// No reading that arrived after the snapshot is older than this (`ArrivalMarks`).
    static let rulesTailFloor = "rules.tail_floor"
    /// The highest arrival number `series_stats` includes (the highest of its `through_arrival`).
    static let statsThroughArrival = "stats.through_arrival"
    /// No reading that arrived after the last flush of `series_stats` is older than this.
    static let statsTailFloor = "stats.tail_floor"
    /// Every arrival number handed out is below this.
    static let arrivalReserved = "arrival.reserved"
    /// Every window starting before this (epoch ms) is closed and its aggregate stored.
    static let windowsClosedBefore = "windows.closed_before"

    static func save(_ name: String, _ value: some DatabaseValueConvertible, in db: Database) throws {
        try db.cachedStatement(sql: """
            INSERT INTO engine_state (name, value) VALUES (?, ?)
            ON CONFLICT (name) DO UPDATE SET value = excluded.value
            """).execute(arguments: [name, value])
    }

    static func load<Value: DatabaseValueConvertible>(_ name: String, as type: Value.Type, in db: Database) throws -> Value? {
        try Value.fetchOne(db.cachedStatement(sql: "SELECT value FROM engine_state WHERE name = ?"), arguments: [name])
    }
}
