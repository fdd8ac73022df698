import Foundation
import GRDB
import GatewayCore

/// The figures of the uplink's `health` report: cheap enough for once a minute on a full buffer
/// (no per-sensor list, unlike `status`).
public struct HealthFigures: Sendable, Equatable {
    /// Readings accepted since the buffer was created.
    public var readingsIn: Int
    public var readingsDuplicate: Int
    public var deadLettersByReason: [String: Int]
    public var rows: Int
    /// The database file and its WAL.
    public var bytes: Int
    public var oldestReading: Timestamp?
    /// Every deletion or refusal that lost data, by reason (`readings_evicted`, …).
    public var dropped: [String: Int]
}

extension BufferReader {
    /// The counters that say data went, under the names `health` reports them.
    static let dropCounters: [BufferCounter] = [
        .invalidReadings, .expiredReadings, .evictedReadings, .evictedDeadLetters,
        .expiredAlerts, .evictedAlerts, .expiredAggregates, .evictedAggregates,
    ]

    public func healthFigures() throws -> HealthFigures {
        var figures = try queue.read { db in
            let totals = try SeriesTotalsQuery.fetch(db).totals
            var counters: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT name, value FROM counter") {
                counters[row[0]] = row[1]
            }
            var byReason: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT reason, count FROM dead_letter_count") {
                byReason[row[0]] = row[1]
            }
            let accepted = totals.values.reduce(0) { $0 + Int($1.count) }
            let deleted = counters[BufferCounter.expiredReadings.rawValue, default: 0]
                + counters[BufferCounter.evictedReadings.rawValue, default: 0]
            var dropped: [String: Int] = [:]
            for counter in Self.dropCounters {
                dropped[counter.rawValue.replacingOccurrences(of: ".", with: "_")] = counters[counter.rawValue, default: 0]
            }
            return HealthFigures(
                readingsIn: accepted,
                readingsDuplicate: counters[BufferCounter.duplicateReadings.rawValue, default: 0],
                deadLettersByReason: byReason, rows: accepted - deleted, bytes: 0,
                oldestReading: try Int64.fetchOne(db, sql: "SELECT min(t) FROM reading").map(Timestamp.init(milliseconds:)),
                dropped: dropped
            )
        }
        figures.bytes = Int(Self.fileSize(path) + Self.fileSize(path + "-wal"))
        return figures
    }
}
