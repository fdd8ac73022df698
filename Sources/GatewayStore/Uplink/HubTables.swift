import GRDB
import GatewayCore

/// SQL over the uplink's tables (`hub`, `hub_backlog`, `hub_message`), shared by the writer and
/// the read-only reader.
enum HubTables {
    /// Aggregates a hub has not yet had in any batch: above its live cursor, or inside one of its
    /// backlog ranges. `alias` names the aggregate table in the surrounding query.
    static func unsentAggregateCondition(alias: String) -> String {
        """
        (\(alias).id > hub.live_cursor OR EXISTS (
            SELECT 1 FROM hub_backlog AS range
            WHERE range.hub = hub.name AND \(alias).id BETWEEN range.first_id AND range.last_id))
        """
    }

    /// Counts, for every hub, the rows a deletion is about to remove that the hub never received.
    /// `victims` selects the ids of the aggregates about to go; call it before deleting.
    static func countDroppedAggregates(victims: String, arguments: StatementArguments, in db: Database) throws {
        guard try db.tableExists("hub") else { return }
        try db.execute(
            sql: """
                UPDATE hub SET dropped_aggregates = dropped_aggregates + (
                    SELECT count(*) FROM aggregate AS victim
                    WHERE victim.id IN (\(victims)) AND \(unsentAggregateCondition(alias: "victim")))
                """,
            arguments: arguments
        )
    }

    /// The same for alert events about to be deleted.
    static func countDroppedAlerts(victims: String, arguments: StatementArguments, in db: Database) throws {
        guard try db.tableExists("hub") else { return }
        try db.execute(
            sql: """
                UPDATE hub SET dropped_alerts = dropped_alerts + (
                    SELECT count(*) FROM alert_event AS victim
                    WHERE victim.id IN (\(victims)) AND victim.id > hub.alert_cursor)
                """,
            arguments: arguments
        )
    }

    /// Every hub's delivery figures, by name. `maxBatch` turns pending aggregates into batches.
    static func deliveries(maxBatch: [String: Int], in db: Database) throws -> [HubDelivery] {
        guard try db.tableExists("hub") else { return [] }
        let rows = try Row.fetchAll(db, sql: """
            SELECT name, connected, changed_at, last_ack, next_seq, dropped_aggregates, dropped_alerts,
                   live_cursor, alert_cursor
            FROM hub ORDER BY name
            """)
        var deliveries: [HubDelivery] = []
        for row in rows {
            let name: String = row[0]
            let liveCursor: Int64 = row[7]
            let alertCursor: Int64 = row[8]
            var pending = try Int.fetchOne(db, sql: "SELECT count(*) FROM aggregate WHERE id > ?", arguments: [liveCursor]) ?? 0
            var oldest: Int64?
            let ranges = try Row.fetchAll(db, sql: "SELECT first_id, last_id FROM hub_backlog WHERE hub = ? ORDER BY first_id", arguments: [name])
            for range in ranges {
                let first: Int64 = range[0]
                let last: Int64 = range[1]
                pending += try Int.fetchOne(db, sql: "SELECT count(*) FROM aggregate WHERE id BETWEEN ? AND ?", arguments: [first, last]) ?? 0
                if oldest == nil {
                    oldest = try Int64.fetchOne(db, sql: "SELECT start FROM aggregate WHERE id BETWEEN ? AND ? ORDER BY id LIMIT 1", arguments: [first, last])
                }
            }
            if oldest == nil {
                oldest = try Int64.fetchOne(db, sql: "SELECT start FROM aggregate WHERE id > ? ORDER BY id LIMIT 1", arguments: [liveCursor])
            }
            let unacknowledged = try Row.fetchOne(db, sql: "SELECT count(*), min(oldest) FROM hub_message WHERE hub = ?", arguments: [name])
            let unacknowledgedCount: Int = unacknowledged?[0] ?? 0
            if let oldestSent: Int64 = unacknowledged?[1] {
                oldest = min(oldest ?? oldestSent, oldestSent)
            }
            let pendingAlerts = try Int.fetchOne(db, sql: "SELECT count(*) FROM alert_event WHERE id > ?", arguments: [alertCursor]) ?? 0
            let batch = max(1, maxBatch[name] ?? 500)
            deliveries.append(HubDelivery(
                name: name, connected: row[1], changedAt: (row[2] as Int64?).map(Timestamp.init(milliseconds:)),
                lastAck: (row[3] as Int64?).map(Timestamp.init(milliseconds:)), nextSeq: row[4],
                unacknowledged: unacknowledgedCount, pendingAggregates: pending, pendingAlerts: pendingAlerts,
                backlogBatches: unacknowledgedCount + pendingAlerts + (pending + batch - 1) / batch,
                oldestPending: oldest.map(Timestamp.init(milliseconds:)),
                droppedAggregates: row[5], droppedAlerts: row[6]
            ))
        }
        return deliveries
    }
}
