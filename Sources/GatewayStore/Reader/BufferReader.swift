import Foundation
import GRDB
import GatewayCore

/// Read-only access to the buffer, for `streetgate status`, `export` and the uplink's outboxes:
/// works while the daemon writes (WAL lets readers and the writer proceed together) and after it
/// stopped.
///
/// Keep reads short: an open read holds back the writer's checkpoints, and the WAL grows
/// meanwhile.
public final class BufferReader: Sendable {
    public let path: String
    let queue: DatabaseQueue
    /// Whether the file has the alert and aggregate tables: a buffer last opened by a StreetGate
    /// without them is still readable (the reader never migrates), with empty outboxes.
    let hasOutboxes: Bool

    /// How many recent dead letters `status` lists.
    public static let recentDeadLetterCount = 5

    /// Opens the buffer database read-only.
    ///
    /// - Throws: `StoreError.databaseMissing` when there is no file, `StoreError.notABuffer` when it
    ///   is not a StreetGate buffer, `StoreError.cannotOpen` when SQLite cannot read it.
    public init(path: String) throws {
        guard FileManager.default.fileExists(atPath: path) else {
            throw StoreError.databaseMissing(path: path)
        }
        var configuration = Configuration()
        configuration.label = "streetgate.buffer.reader"
        configuration.readonly = true
        configuration.busyMode = .timeout(5)  // rides out the writer's brief exclusive moments
        do {
            queue = try DatabaseQueue(path: path, configuration: configuration)
            let (isBuffer, hasOutboxes) = try queue.read { db in
                try (
                    db.tableExists("reading") && db.tableExists("series") && db.tableExists("series_stats")
                        && db.tableExists("dead_letter") && db.tableExists("counter"),
                    db.tableExists("alert_event") && db.tableExists("aggregate")
                )
            }
            guard isBuffer else { throw StoreError.notABuffer(path: path) }
            self.hasOutboxes = hasOutboxes
        } catch let error as DatabaseError {
            throw StoreError.cannotOpen(path: path, reason: "\(error)")
        }
        self.path = path
    }

    /// The buffer's figures, all read from one consistent snapshot.
    public func status(now: Timestamp) throws -> BufferStatus {
        var status = try queue.read { db in
            let totals = try SeriesTotalsQuery.fetch(db).totals
            var sensors: [SensorStatus] = []
            let series = try Row.fetchCursor(db, sql: "SELECT id, sensor, metric FROM series")
            while let row = try series.next() {
                guard let figures = totals[row[0]], figures.count > 0 else { continue }
                sensors.append(SensorStatus(
                    sensor: row[1], metric: row[2], lastValue: figures.lastValue,
                    lastTime: Timestamp(milliseconds: figures.lastTime), count: figures.count
                ))
            }
            sensors.sort { ($0.sensor, $0.metric) < ($1.sensor, $1.metric) }

            var counters = Dictionary(uniqueKeysWithValues: BufferCounter.allCases.map { ($0.rawValue, Int64(0)) })
            for row in try Row.fetchAll(db, sql: "SELECT name, value FROM counter") {
                counters[row[0]] = row[1]
            }
            // Every accepted reading is counted in its series, and every deletion in `counter`,
            // so this is exact without scanning the table.
            let accepted = totals.values.reduce(Int64(0)) { $0 + $1.count }
            let deleted = counters[BufferCounter.expiredReadings.rawValue, default: 0]
                + counters[BufferCounter.evictedReadings.rawValue, default: 0]

            var byReason: [String: Int64] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT reason, count FROM dead_letter_count") {
                byReason[row[0]] = row[1]
            }
            let recent = try Row.fetchAll(db, sql: """
                SELECT at, source, topic, reason, detail, payload, size FROM dead_letter
                ORDER BY id DESC LIMIT ?
                """, arguments: [Self.recentDeadLetterCount]
            ).map { row in
                let payload: Data = row[5] ?? Data()
                return DeadLetterSummary(
                    at: Timestamp(milliseconds: row[0]), source: row[1], topic: row[2], reason: row[3],
                    detail: row[4], payloadPrefix: String(decoding: payload, as: UTF8.self), size: row[6]
                )
            }

            // Separate queries: SQLite answers a lone min() or max() from the index's ends.
            let oldest = try Int64.fetchOne(db, sql: "SELECT min(t) FROM reading")
            let newest = try Int64.fetchOne(db, sql: "SELECT max(t) FROM reading")
            let outboxes = try hasOutboxes ? OutboxFigures.fetch(db, counters: counters) : OutboxFigures()
            return BufferStatus(
                at: now, sensors: sensors, deadLettersByReason: byReason, recentDeadLetters: recent,
                rows: accepted - deleted, bytes: 0,
                oldestReading: oldest.map(Timestamp.init(milliseconds:)),
                newestReading: newest.map(Timestamp.init(milliseconds:)),
                counters: counters,
                activeAlerts: outboxes.activeAlerts, alertEvents: outboxes.alertEvents,
                aggregates: outboxes.aggregates, latestAggregateStart: outboxes.latestAggregateStart
            )
        }
        status.bytes = Self.fileSize(path) + Self.fileSize(path + "-wal")
        return status
    }

    /// How many readings were ever stored, whatever was deleted since: a progress figure to poll.
    /// `count(*)` walks the table's pages without decoding a row (a few milliseconds for a million
    /// readings), so the read holds back the WAL's checkpoints only briefly.
    public func acceptedReadings() throws -> Int64 {
        try queue.read { db in
            let present = try Int64.fetchOne(db, sql: "SELECT count(*) FROM reading") ?? 0
            let deleted = try Int64.fetchOne(db, sql: """
                SELECT coalesce(sum(value), 0) FROM counter WHERE name IN (?, ?)
                """, arguments: [BufferCounter.evictedReadings.rawValue, BufferCounter.expiredReadings.rawValue]) ?? 0
            return present + deleted
        }
    }

    /// Streams stored readings in time order (ties by series), from `since` (inclusive) to
    /// `until` (exclusive, or the end), for the sensors `sensors` accepts. Rows come from a cursor
    /// walking the time index, never all at once. Throwing from `body` stops the export.
    public func export(
        since: Timestamp,
        until: Timestamp? = nil,
        sensors: (String) -> Bool = { _ in true },
        _ body: (Reading) throws -> Void
    ) throws {
        try queue.read { db in
            // The series table is small: join it in memory, asking the filter once per series.
            var selected: [Int64: (sensor: String, metric: String)] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT id, sensor, metric FROM series") {
                let sensor: String = row[1]
                if sensors(sensor) {
                    selected[row[0]] = (sensor, row[2])
                }
            }
            guard !selected.isEmpty else { return }

            let rows = try Row.fetchCursor(db, sql: """
                SELECT series, t, value FROM reading WHERE t >= ? AND t < ? ORDER BY t, series
                """, arguments: [since.milliseconds, until?.milliseconds ?? Int64.max])
            while let row = try rows.next() {
                guard let series = selected[row[0]] else { continue }
                try body(Reading(sensor: series.sensor, metric: series.metric, time: Timestamp(milliseconds: row[1]), value: row[2]))
            }
        }
    }

    static func fileSize(_ path: String) -> Int64 {
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        return (attributes?[.size] as? NSNumber)?.int64Value ?? 0
    }
}
