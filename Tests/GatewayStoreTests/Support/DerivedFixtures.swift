import GRDB
import GatewayCore
@testable import GatewayStore

/// An alert event of rule `rule` on `sensor`, raised at `raisedAt`; `at` is when this event
/// happened (the raise time for a raise).
func alertEvent(
    _ state: AlertState, rule: String = "night-leak", sensor: String = "fes/water/m1",
    raisedAt: Int64, at: Int64? = nil, value: Double? = 2.7, severity: AlertSeverity = .major
) -> AlertEvent {
    AlertEvent(
        id: AlertEvent.id(rule: rule, sensor: sensor, raisedAt: Timestamp(milliseconds: raisedAt)),
        rule: rule, sensor: sensor, metric: "flow", severity: severity, state: state,
        at: Timestamp(milliseconds: at ?? raisedAt), value: value, threshold: 2.0
    )
}

/// A one-minute aggregate of `sensor` starting at `start`.
func aggregate(_ sensor: String = "fes/water/m1", start: Int64, rev: Int = 0, count: Int = 3, sum: Double = 6) -> Aggregate {
    Aggregate(
        sensor: sensor, metric: "flow", start: Timestamp(milliseconds: start), windowSeconds: 60, count: count,
        min: 1, max: 3, sum: sum, last: 2, lastTime: Timestamp(milliseconds: start + 59_000), rev: rev
    )
}

/// Every stored alert event, in id order.
func storedAlerts(_ writer: BufferWriter) throws -> [AlertEvent] {
    try writer.queue.read { db in
        try Row.fetchAll(db, sql: "SELECT id, \(AlertEventTable.columns) FROM alert_event ORDER BY id")
            .map(AlertEventTable.event(from:))
    }
}

/// Every stored aggregate, in id order.
func storedAggregates(_ writer: BufferWriter) throws -> [Aggregate] {
    try writer.queue.read { db in
        try Row.fetchAll(db, sql: "SELECT id, \(AggregateTable.columns) FROM aggregate ORDER BY id")
            .map(AggregateTable.aggregate(from:))
    }
}

/// The rows of `table`, counted.
func rowCount(_ table: String, _ writer: BufferWriter) throws -> Int64 {
    try writer.queue.read { db in try Int64.fetchOne(db, sql: "SELECT count(*) FROM \(table)") ?? 0 }
}
