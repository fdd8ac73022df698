import Foundation
import GRDB
import GatewayCore

/// The uplink's side of the buffer: per hub, what to send next, what is in flight, what arrived.
///
/// A hub reads the two outboxes (`alert_event`, `aggregate`) through cursors of its own, so one
/// hub's outage never holds back another. A message is *built* once, when there is room in the
/// hub's in-flight window: the rows it carries are chosen, the payload encoded, the message stored
/// in `hub_message` with the next `seq`, and the cursor moved, all in one transaction. It is deleted
/// when the hub's broker acknowledges it. So a batch's `seq` and bytes never change, `seq` is gap-free
/// from 1 in the order batches are first sent, and a restart resends what was in flight as it was.
///
/// Live and backlog: aggregates emitted while the hub is connected and caught up are live. When the
/// hub connects (at start, or after an outage), whatever waits above its live cursor becomes a
/// backlog range; batches from it are marked `historical` and go out beside live batches, at the
/// share the sender allows them.
extension BufferWriter {
    /// Gives each hub its row. A hub new to this buffer starts from the beginning: everything still
    /// stored reaches it, as backlog.
    public func registerHubs(_ names: [String]) throws {
        try writeHub { db in
            for name in names {
                try db.execute(
                    sql: """
                        INSERT OR IGNORE INTO hub (name, next_seq, alert_cursor, live_cursor, connected, dropped_aggregates, dropped_alerts)
                        VALUES (?, 1, 0, 0, 0, 0, 0)
                        """,
                    arguments: [name]
                )
            }
        }
    }

    /// Records the connection, and hands what waited while the hub was away to its backlog.
    public func hubConnected(_ hub: String, at now: Timestamp) throws {
        try writeHub { db in
            let liveCursor = try Self.liveCursor(of: hub, in: db)
            let newest = try Int64.fetchOne(db, sql: "SELECT max(id) FROM aggregate") ?? 0
            if newest > liveCursor {
                try db.execute(
                    sql: "INSERT INTO hub_backlog (hub, first_id, last_id) VALUES (?, ?, ?)",
                    arguments: [hub, liveCursor + 1, newest]
                )
            }
            try db.execute(
                sql: "UPDATE hub SET live_cursor = max(live_cursor, ?), connected = 1, changed_at = ? WHERE name = ?",
                arguments: [newest, now.milliseconds, hub]
            )
        }
    }

    public func hubDisconnected(_ hub: String, at now: Timestamp) throws {
        try writeHub { db in
            try db.execute(
                sql: "UPDATE hub SET connected = 0, changed_at = ? WHERE name = ? AND connected = 1",
                arguments: [now.milliseconds, hub]
            )
        }
    }

    /// Messages built for `hub` and not yet acknowledged, in the order they were first sent.
    public func unacknowledgedMessages(hub: String) throws -> [HubMessage] {
        try writeHub { db in
            try Row.fetchAll(db, sql: """
                SELECT id, hub, kind, seq, historical, items, oldest, payload FROM hub_message WHERE hub = ? ORDER BY id
                """, arguments: [hub]
            ).map(Self.message(from:))
        }
    }

    /// Builds the message for the oldest alert event `hub` has not had yet, if any.
    public func buildAlertMessage(hub: String, now: Timestamp, encode: (AlertEvent) -> [UInt8]) throws -> HubMessage? {
        try writeHub { db in
            let cursor = try Int64.fetchOne(db, sql: "SELECT alert_cursor FROM hub WHERE name = ?", arguments: [hub]) ?? 0
            guard let row = try Row.fetchOne(db, sql: """
                SELECT id, \(AlertEventTable.columns) FROM alert_event WHERE id > ? ORDER BY id LIMIT 1
                """, arguments: [cursor])
            else { return nil }
            let event = try AlertEventTable.event(from: row)
            try db.execute(sql: "UPDATE hub SET alert_cursor = ? WHERE name = ?", arguments: [row[0] as Int64, hub])
            return try Self.store(
                hub: hub, kind: .alert, seq: nil, historical: false, items: 1, oldest: event.at,
                payload: encode(event), now: now, in: db
            )
        }
    }

    /// Builds the next batch of up to `limit` aggregates from `source`, with the hub's next `seq`;
    /// nil when that source has nothing for the hub.
    public func buildAggregateBatch(
        hub: String, from source: BatchSource, limit: Int, now: Timestamp,
        encode: (_ aggregates: [Aggregate], _ seq: Int, _ historical: Bool) -> [UInt8]
    ) throws -> HubMessage? {
        try writeHub { db in
            switch source {
            case .live:
                let cursor = try Self.liveCursor(of: hub, in: db)
                let rows = try BatchRows.after(cursor, limit: limit, in: db)
                guard let last = rows.lastID else { return nil }
                try db.cachedStatement(sql: "UPDATE hub SET live_cursor = ? WHERE name = ?").execute(arguments: [last, hub])
                return try Self.storeBatch(hub: hub, rows.aggregates, historical: false, now: now, encode: encode, in: db)
            case .backlog:
                let oldestRange = try db.cachedStatement(sql: """
                    SELECT first_id, last_id FROM hub_backlog WHERE hub = ? ORDER BY first_id LIMIT 1
                    """)
                while let range = try Row.fetchOne(oldestRange, arguments: [hub]) {
                    let first: Int64 = range[0]
                    let last: Int64 = range[1]
                    let rows = try BatchRows.between(first, last, limit: limit, in: db)
                    if rows.aggregates.count < limit || rows.lastID == last {
                        try db.cachedStatement(sql: "DELETE FROM hub_backlog WHERE hub = ? AND first_id = ?")
                            .execute(arguments: [hub, first])
                    } else if let newest = rows.lastID {
                        try db.cachedStatement(sql: "UPDATE hub_backlog SET first_id = ? WHERE hub = ? AND first_id = ?")
                            .execute(arguments: [newest + 1, hub, first])
                    }
                    // An empty range was evicted or expired meanwhile (counted then): try the next.
                    if !rows.aggregates.isEmpty {
                        return try Self.storeBatch(hub: hub, rows.aggregates, historical: true, now: now, encode: encode, in: db)
                    }
                }
                return nil
            }
        }
    }

    /// The hub's broker acknowledged these messages: forget them, and note when.
    public func acknowledge(hub: String, messages ids: [Int64], at now: Timestamp) throws {
        guard !ids.isEmpty else { return }
        try writeHub { db in
            let delete = try db.cachedStatement(sql: "DELETE FROM hub_message WHERE id = ? AND hub = ?")
            for id in ids {
                try delete.execute(arguments: [id, hub])
            }
            try db.execute(sql: "UPDATE hub SET last_ack = ? WHERE name = ?", arguments: [now.milliseconds, hub])
        }
    }

    /// Delivery figures of every hub (for `health`); `maxBatch` by hub name.
    public func hubDeliveries(maxBatch: [String: Int]) throws -> [HubDelivery] {
        try writeHub { db in try HubTables.deliveries(maxBatch: maxBatch, in: db) }
    }

    // MARK: - Helpers

    /// Runs `body` in a write transaction under the writer's lock. A full database makes room once,
    /// as ingest does: the uplink must keep working when the buffer is full, since delivering and
    /// acknowledging is what lets it drain.
    private func writeHub<T>(_ body: (Database) throws -> T) throws -> T {
        var result: T?
        _ = try writeMakingRoom { _ in
            result = try queue.write { db in try body(db) }
            return CommitReport()
        }
        return result!
    }

    private static func liveCursor(of hub: String, in db: Database) throws -> Int64 {
        let select = try db.cachedStatement(sql: "SELECT live_cursor FROM hub WHERE name = ?")
        guard let cursor = try Int64.fetchOne(select, arguments: [hub]) else {
            throw StoreError.unknownHub(hub)
        }
        return cursor
    }

    private static func storeBatch(
        hub: String, _ aggregates: [Aggregate], historical: Bool, now: Timestamp,
        encode: ([Aggregate], Int, Bool) -> [UInt8], in db: Database
    ) throws -> HubMessage {
        let seq = try Int.fetchOne(db.cachedStatement(sql: "SELECT next_seq FROM hub WHERE name = ?"), arguments: [hub]) ?? 1
        try db.cachedStatement(sql: "UPDATE hub SET next_seq = ? WHERE name = ?").execute(arguments: [seq + 1, hub])
        let oldest = aggregates.lazy.map(\.start.milliseconds).min() ?? now.milliseconds
        return try store(
            hub: hub, kind: .aggregates, seq: seq, historical: historical, items: aggregates.count,
            oldest: Timestamp(milliseconds: oldest), payload: encode(aggregates, seq, historical), now: now, in: db
        )
    }

    private static func store(
        hub: String, kind: HubMessage.Kind, seq: Int?, historical: Bool, items: Int, oldest: Timestamp,
        payload: [UInt8], now: Timestamp, in db: Database
    ) throws -> HubMessage {
        try db.cachedStatement(sql: """
            INSERT INTO hub_message (hub, kind, seq, historical, items, oldest, built_at, payload)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """
        ).execute(arguments: [hub, kind.rawValue, seq, historical, items, oldest.milliseconds, now.milliseconds, Data(payload)])
        return HubMessage(
            id: db.lastInsertedRowID, hub: hub, kind: kind, seq: seq, historical: historical,
            items: items, oldest: oldest, payload: payload
        )
    }

    private static func message(from row: Row) throws -> HubMessage {
        let kindName: String = row[2]
        guard let kind = HubMessage.Kind(rawValue: kindName) else {
            throw StoreError.unreadableRow(table: "hub_message", id: row[0], reason: "unknown kind \"\(kindName)\"")
        }
        let payload: [UInt8] = [UInt8](row[7] as Data)
        return HubMessage(
            id: row[0], hub: row[1], kind: kind, seq: row[3], historical: row[4], items: row[5],
            oldest: Timestamp(milliseconds: row[6]), payload: payload
        )
    }
}
