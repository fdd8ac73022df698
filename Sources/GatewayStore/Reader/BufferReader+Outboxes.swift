import GRDB
import GatewayCore

/// The outboxes in storage order, for the uplink: each page starts after the last id it saw.
/// Ids are never reused (AUTOINCREMENT), so a cursor stays valid whatever was deleted since.
extension BufferReader {
    /// Up to `limit` aggregates with an id above `id`, in id (emission) order.
    public func aggregates(since id: Int64, limit: Int) throws -> [(id: Int64, aggregate: Aggregate)] {
        guard hasOutboxes else { return [] }
        return try queue.read { db in
            try Row.fetchAll(db, sql: """
                SELECT id, \(AggregateTable.columns) FROM aggregate WHERE id > ? ORDER BY id LIMIT ?
                """, arguments: [id, limit]
            ).map { row in (row[0], AggregateTable.aggregate(from: row)) }
        }
    }

    /// Up to `limit` alert events with an id above `id`, in id (decision) order.
    public func alertEvents(since id: Int64, limit: Int) throws -> [(id: Int64, event: AlertEvent)] {
        guard hasOutboxes else { return [] }
        return try queue.read { db in
            try Row.fetchAll(db, sql: """
                SELECT id, \(AlertEventTable.columns) FROM alert_event WHERE id > ? ORDER BY id LIMIT ?
                """, arguments: [id, limit]
            ).map { row in try (row[0], AlertEventTable.event(from: row)) }
        }
    }
}

extension BufferReader {
    /// Each hub's delivery as the daemon last recorded it; `maxBatch` (by hub name, default 500)
    /// turns pending aggregates into batches. `only`: the hubs still configured (a hub removed from
    /// the file keeps its row, for a later return). Empty for a buffer that never had a hub.
    public func hubDeliveries(maxBatch: [String: Int] = [:], only names: Set<String>? = nil) throws -> [HubDelivery] {
        try queue.read { db in try HubTables.deliveries(maxBatch: maxBatch, in: db) }
            .filter { names?.contains($0.name) ?? true }
    }
}
