import GRDB
import GatewayCore

/// The outboxes' part of `status`: active alerts, row counts and the latest window stored.
struct OutboxFigures: Sendable, Equatable {
    var activeAlerts: [ActiveAlert] = []
    var alertEvents: Int64 = 0
    var aggregates: Int64 = 0
    var latestAggregateStart: Timestamp?

    /// Reads the figures in the caller's snapshot. `counters` are the `BufferCounter` values of
    /// that same snapshot.
    static func fetch(_ db: Database, counters: [String: Int64]) throws -> OutboxFigures {
        var figures = OutboxFigures()
        let raised = try Row.fetchCursor(db, sql: """
            SELECT id, \(AlertEventTable.columns) FROM alert_event WHERE \(AlertEventTable.activeCondition) ORDER BY id
            """)
        while let row = try raised.next() {
            try figures.activeAlerts.append(ActiveAlert(raised: AlertEventTable.event(from: row)))
        }
        // Every stored row and every deletion is counted with it, so this is exact without a scan.
        func count(_ stored: BufferCounter, less deleted: BufferCounter...) -> Int64 {
            deleted.reduce(counters[stored.rawValue, default: 0]) { $0 - counters[$1.rawValue, default: 0] }
        }
        figures.alertEvents = count(.storedAlerts, less: .expiredAlerts, .evictedAlerts)
        figures.aggregates = count(.storedAggregates, less: .expiredAggregates, .evictedAggregates)
        // The unique index leads with `start`: its last entry answers at once.
        figures.latestAggregateStart = try Int64.fetchOne(db, sql: "SELECT max(start) FROM aggregate")
            .map(Timestamp.init(milliseconds:))
        return figures
    }
}
