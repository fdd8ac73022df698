import GRDB

/// Events the buffer counts for good in its `counter` table, so `health` can say why data went.
/// What is stored minus what is deleted also gives each outbox's row count without a scan.
public enum BufferCounter: String, Sendable, CaseIterable, Codable {
    /// A reading already stored under the same sensor, metric and time (a redelivered message).
    case duplicateReadings = "readings.duplicate"
    /// A reading whose value was not a finite number, refused.
    case invalidReadings = "readings.invalid"
    /// A reading deleted because it was older than the retention.
    case expiredReadings = "readings.expired"
    /// A reading deleted, oldest first, to keep the database under `max_size`.
    case evictedReadings = "readings.evicted"
    /// A dead letter deleted, oldest first, beyond the dead letter limit.
    case evictedDeadLetters = "dead_letters.evicted"
    /// An alert event stored for the uplink (a repeat of a stored one is not counted).
    case storedAlerts = "alerts.stored"
    /// A cleared alert's events deleted because the clear was older than the retention.
    case expiredAlerts = "alerts.expired"
    /// An alert event deleted, oldest first, to keep the database under `max_size` once no reading
    /// was left to evict. The events of an active alert are never evicted.
    case evictedAlerts = "alerts.evicted"
    /// An aggregate (one revision) stored for the uplink.
    case storedAggregates = "aggregates.stored"
    /// An aggregate deleted because its window started before the retention.
    case expiredAggregates = "aggregates.expired"
    /// An aggregate deleted, oldest first, to keep the database under `max_size` once no reading
    /// was left to evict.
    case evictedAggregates = "aggregates.evicted"

    /// Adds `amount` inside the caller's transaction, so the count and what it counts commit together.
    func add(_ amount: Int, in db: Database) throws {
        guard amount > 0 else { return }
        let statement = try db.cachedStatement(sql: """
            INSERT INTO counter (name, value) VALUES (?, ?)
            ON CONFLICT (name) DO UPDATE SET value = value + excluded.value
            """)
        try statement.execute(arguments: [rawValue, amount])
    }
}
