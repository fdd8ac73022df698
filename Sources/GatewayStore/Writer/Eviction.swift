import GRDB
import Logging

/// The size bound: SQLite refuses to grow the file past the page budget (SQLITE_FULL); before
/// that, the oldest rows make room, in bursts from the high mark down to the low mark. Raw
/// readings go first; only when none is left to evict do the oldest aggregates go, then the oldest
/// events of cleared alerts. An active alert's events are never evicted: the uplink and `status`
/// must not forget an alert still open.
extension BufferWriter {
    /// How many rows of each kind one eviction burst deleted.
    struct Evicted: Sendable, Equatable {
        var readings = 0
        var aggregates = 0
        var alerts = 0

        var total: Int { readings + aggregates + alerts }
    }

    /// Pages in use: the file's pages minus those on the free list.
    func usedPages() throws -> Int64 {
        try queue.inDatabase { db in
            let pages = try Int64.fetchOne(db, sql: "PRAGMA page_count") ?? 0
            let free = try Int64.fetchOne(db, sql: "PRAGMA freelist_count") ?? 0
            return pages - free
        }
    }

    /// Deletes the oldest rows (readings by time, the outboxes by id), readings first, until at most `targetPages` are in use
    /// or nothing evictable is left.
    func evictOldest(downTo targetPages: Int64, _ state: inout WriterState) throws -> Evicted {
        var evicted = Evicted()
        var kind = EvictedKind.readings
        while try usedPages() > targetPages {
            let deleted = try queue.write { db in
                let deleted = try kind.deleteOldest(in: db)
                try kind.counter.add(deleted, in: db)
                if deleted > 0 && kind == .readings {
                    try state.flushStats(db)
                }
                return deleted
            }
            if deleted == 0 {
                guard let next = kind.next else { break }  // the rest is not ours to drop
                kind = next
                continue
            }
            switch kind {
            case .readings: evicted.readings += deleted
            case .aggregates: evicted.aggregates += deleted
            case .alerts: evicted.alerts += deleted
            }
        }
        return evicted
    }

    /// One warning per burst, whatever its size, so a full buffer does not flood the journal.
    func logEviction(_ evicted: Evicted, during activity: String, filesystemFull: Bool = false) {
        guard evicted.total > 0 else { return }
        var metadata: Logger.Metadata = [
            "readings.evicted": "\(evicted.readings)", "buffer.max_size": "\(settings.maxSize)",
        ]
        let limit = filesystemFull
            ? "the filesystem of \(settings.path) is full below the buffer's size limit"
            : "the buffer reached its size limit"
        guard evicted.aggregates > 0 || evicted.alerts > 0 else {
            logger.warning("\(limit) during \(activity): evicted the oldest readings", metadata: metadata)
            return
        }
        metadata["aggregates.evicted"] = "\(evicted.aggregates)"
        metadata["alerts.evicted"] = "\(evicted.alerts)"
        logger.warning(
            "\(limit) during \(activity) with no reading left to evict: evicted the oldest aggregates and cleared alerts, which some hubs may never receive",
            metadata: metadata
        )
    }
}

/// What eviction deletes, in order.
private enum EvictedKind {
    case readings, aggregates, alerts

    var next: EvictedKind? {
        switch self {
        case .readings: .aggregates
        case .aggregates: .alerts
        case .alerts: nil
        }
    }

    var counter: BufferCounter {
        switch self {
        case .readings: .evictedReadings
        case .aggregates: .evictedAggregates
        case .alerts: .evictedAlerts
        }
    }

    /// Deletes one chunk of the oldest rows of this kind: readings by time, the outboxes by id.
    func deleteOldest(in db: Database) throws -> Int {
        switch self {
        case .readings:
            return try ReadingTable.deleteOldest(limit: BufferWriter.deletionChunk, in: db)
        case .aggregates:
            let victims = "SELECT id FROM aggregate ORDER BY id LIMIT ?"
            let arguments: StatementArguments = [BufferWriter.aggregateDeletionChunk]
            try HubTables.countDroppedAggregates(victims: victims, arguments: arguments, in: db)
            try db.execute(sql: "DELETE FROM aggregate WHERE id IN (\(victims))", arguments: arguments)
        case .alerts:
            // A raised event goes only once its alert is cleared; its clear has a higher id, so
            // oldest first never leaves a raise without its clear.
            let victims = "SELECT id FROM alert_event WHERE NOT (\(AlertEventTable.activeCondition)) ORDER BY id LIMIT ?"
            let arguments: StatementArguments = [BufferWriter.alertDeletionChunk]
            try HubTables.countDroppedAlerts(victims: victims, arguments: arguments, in: db)
            try db.execute(sql: "DELETE FROM alert_event WHERE id IN (\(victims))", arguments: arguments)
        }
        return db.changesCount
    }
}
