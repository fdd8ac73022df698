import GRDB

/// Retention for the outboxes, by the time the rows are about rather than when they were stored:
/// an aggregate by its window's start, an alert by its clear.
extension BufferWriter {
    /// Deletes aggregates whose window started before `cutoff`, walking the unique index, which
    /// leads with `start`, from its head.
    func expireAggregates(before cutoff: Int64) throws -> Int {
        var expired = 0
        while true {
            let deleted = try queue.write { db in
                let victims = "SELECT id FROM aggregate WHERE start < ? ORDER BY start LIMIT ?"
                let arguments: StatementArguments = [cutoff, Self.aggregateDeletionChunk]
                try HubTables.countDroppedAggregates(victims: victims, arguments: arguments, in: db)
                try db.execute(sql: "DELETE FROM aggregate WHERE id IN (\(victims))", arguments: arguments)
                let deleted = db.changesCount
                try BufferCounter.expiredAggregates.add(deleted, in: db)
                return deleted
            }
            expired += deleted
            if deleted < Self.aggregateDeletionChunk { return expired }
        }
    }

    /// Deletes both events of every alert cleared before `cutoff`. An alert still active keeps its
    /// raise however old: forgetting it would lose the alert for `status` and the uplink.
    func expireAlerts(before cutoff: Int64) throws -> Int {
        var expired = 0
        while true {
            // The partial index holds clears only, so active alerts are never even visited.
            let deleted = try queue.write { db in
                let victims = """
                    SELECT id FROM alert_event WHERE alert_id IN (
                        SELECT alert_id FROM alert_event WHERE state = 'cleared' AND at < ? ORDER BY at LIMIT ?)
                    """
                let arguments: StatementArguments = [cutoff, Self.alertDeletionChunk / 2]  // two events per alert
                try HubTables.countDroppedAlerts(victims: victims, arguments: arguments, in: db)
                try db.execute(sql: "DELETE FROM alert_event WHERE id IN (\(victims))", arguments: arguments)
                let deleted = db.changesCount
                try BufferCounter.expiredAlerts.add(deleted, in: db)
                return deleted
            }
            if deleted == 0 { return expired }
            expired += deleted
        }
    }
}
