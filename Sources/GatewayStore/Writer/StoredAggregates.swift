import GRDB
import GatewayCore

/// The stored aggregates, as `commit(readings:deadLetters:derive:)` lets `derive` see them: read
/// inside the commit's own transaction, so a late reading revises exactly what is on disk.
///
/// Valid only during the `derive` call it is handed to: it reads through the writer's connection,
/// which the writer uses again as soon as `derive` returns (GRDB stops a use from anywhere else).
/// It sees what earlier commits stored, not the records `derive` is about to return.
public struct StoredAggregates {
    private let db: Database

    init(_ db: Database) {
        self.db = db
    }

    /// The stored revision with the highest `rev` of the window (sensor, metric, start,
    /// windowSeconds), or nil when none is stored (never emitted, or deleted by retention or size).
    public func latest(sensor: String, metric: String, start: Timestamp, windowSeconds: Int) throws -> Aggregate? {
        let statement = try db.cachedStatement(sql: """
            SELECT id, \(AggregateTable.columns) FROM aggregate
            WHERE start = ? AND window_s = ? AND sensor = ? AND metric = ?
            ORDER BY rev DESC LIMIT 1
            """)
        return try Row.fetchOne(statement, arguments: [start.milliseconds, windowSeconds, sensor, metric])
            .map(AggregateTable.aggregate(from:))
    }
}

// It holds the writer's connection, which belongs to the thread inside the commit.
@available(*, unavailable)
extension StoredAggregates: Sendable {}
