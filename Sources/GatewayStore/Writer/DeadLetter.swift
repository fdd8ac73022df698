import Foundation
import GRDB
import GatewayCore

/// A message the gateway could not turn into readings, kept so a technician can see why.
public struct DeadLetter: Sendable, Equatable {
    /// How much of the payload the store keeps: enough to recognise it, never a whole blob.
    public static let storedPayloadBytes = 256

    public var at: Timestamp
    /// The source broker's name.
    public var source: String
    public var topic: String
    /// A short stable word (`payload.json`, `topic.template`…): the key of the per-reason counts.
    public var reason: String
    /// What exactly was wrong, for a person.
    public var detail: String
    /// The whole payload; the store keeps its first `storedPayloadBytes` and its size.
    public var payload: [UInt8]

    public init(at: Timestamp, source: String, topic: String, reason: String, detail: String, payload: [UInt8]) {
        self.at = at
        self.source = source
        self.topic = topic
        self.reason = reason
        self.detail = detail
        self.payload = payload
    }
}

enum DeadLetterTable {
    /// Inserts dead letters, counts them per reason, and deletes the oldest beyond `limit`, all in
    /// the caller's transaction. Returns how many old ones were deleted.
    static func insert(_ deadLetters: [DeadLetter], limit: Int, in db: Database) throws -> Int {
        guard !deadLetters.isEmpty else { return 0 }
        let insert = try db.cachedStatement(sql: """
            INSERT INTO dead_letter (at, source, topic, reason, detail, payload, size)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """)
        var countByReason: [String: Int] = [:]
        for letter in deadLetters {
            try insert.execute(arguments: [
                letter.at.milliseconds, letter.source, letter.topic, letter.reason, letter.detail,
                Data(letter.payload.prefix(DeadLetter.storedPayloadBytes)), letter.payload.count,
            ])
            countByReason[letter.reason, default: 0] += 1
        }
        let count = try db.cachedStatement(sql: """
            INSERT INTO dead_letter_count (reason, count) VALUES (?, ?)
            ON CONFLICT (reason) DO UPDATE SET count = count + excluded.count
            """)
        for (reason, amount) in countByReason {
            try count.execute(arguments: [reason, amount])
        }
        return try cap(limit: limit, in: db)
    }

    /// Ids only grow and only the lowest are deleted, so they are contiguous: everything at or
    /// below `max(id) - limit` is beyond the cap.
    static func cap(limit: Int, in db: Database) throws -> Int {
        try db.cachedStatement(sql: "DELETE FROM dead_letter WHERE id <= (SELECT max(id) FROM dead_letter) - ?")
            .execute(arguments: [limit])
        let evicted = db.changesCount
        try BufferCounter.evictedDeadLetters.add(evicted, in: db)
        return evicted
    }
}
