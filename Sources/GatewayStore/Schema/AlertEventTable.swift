import GRDB
import GatewayCore

/// The `alert_event` outbox: every raise and clear, in the order the rules decided them.
enum AlertEventTable {
    static let columns = "alert_id, rule, sensor, metric, severity, state, at, value, threshold"

    /// The events of alerts still active: raised, and not cleared. One pass over the kept events,
    /// with one probe of the (alert_id, state) index each; alert events are few next to readings.
    static let activeCondition = """
        state = 'raised' AND NOT EXISTS (
            SELECT 1 FROM alert_event AS cleared WHERE cleared.alert_id = alert_event.alert_id AND cleared.state = 'cleared')
        """

    /// Inserts `events` in order in the caller's transaction, ignoring any already stored (the
    /// same alert id and state); returns how many were new.
    static func insert(_ events: [AlertEvent], in db: Database) throws -> Int {
        guard !events.isEmpty else { return 0 }
        let statement = try db.cachedStatement(sql: """
            INSERT OR IGNORE INTO alert_event (\(columns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        var inserted = 0
        for event in events {
            try statement.execute(arguments: [
                event.id, event.rule, event.sensor, event.metric, event.severity.rawValue, event.state.rawValue,
                event.at.milliseconds, event.value, event.threshold,
            ])
            inserted += db.changesCount
        }
        try BufferCounter.storedAlerts.add(inserted, in: db)
        return inserted
    }

    /// The event in a row selected as `id, ` then `columns`, in that order.
    static func event(from row: Row) throws -> AlertEvent {
        let id: Int64 = row[0]
        let severityName: String = row[5]
        let stateName: String = row[6]
        guard let severity = AlertSeverity(rawValue: severityName) else {
            throw StoreError.unreadableRow(table: "alert_event", id: id, reason: "unknown severity \"\(severityName)\"")
        }
        guard let state = AlertState(rawValue: stateName) else {
            throw StoreError.unreadableRow(table: "alert_event", id: id, reason: "unknown state \"\(stateName)\"")
        }
        return AlertEvent(
            id: row[1], rule: row[2], sensor: row[3], metric: row[4], severity: severity, state: state,
            at: Timestamp(milliseconds: row[7]), value: row[8], threshold: row[9]
        )
    }
}
