/// What one `commit` did.
public struct CommitReport: Sendable, Equatable {
    /// Readings stored.
    public var inserted: Int = 0
    /// Readings ignored because the same sensor, metric and time were already stored.
    public var duplicates: Int = 0
    /// Readings refused because their value was not a finite number.
    public var invalid: Int = 0
    /// Dead letters stored.
    public var deadLetters: Int = 0
    /// Old dead letters deleted to stay within the limit.
    public var deadLettersEvicted: Int = 0
    /// Oldest readings deleted because the commit hit `max_size`.
    public var readingsEvicted: Int = 0
    /// Alert events stored (those already stored are not counted).
    public var alerts: Int = 0
    /// Aggregates stored (revisions already stored are not counted).
    public var aggregates: Int = 0
    /// Oldest aggregates deleted because the commit hit `max_size` with no reading left to evict.
    public var aggregatesEvicted: Int = 0
    /// Oldest alert events of cleared alerts deleted because the commit hit `max_size` with no
    /// reading or aggregate left to evict.
    public var alertsEvicted: Int = 0

    public init(
        inserted: Int = 0, duplicates: Int = 0, invalid: Int = 0,
        deadLetters: Int = 0, deadLettersEvicted: Int = 0, readingsEvicted: Int = 0,
        alerts: Int = 0, aggregates: Int = 0, aggregatesEvicted: Int = 0, alertsEvicted: Int = 0
    ) {
        self.inserted = inserted
        self.duplicates = duplicates
        self.invalid = invalid
        self.deadLetters = deadLetters
        self.deadLettersEvicted = deadLettersEvicted
        self.readingsEvicted = readingsEvicted
        self.alerts = alerts
        self.aggregates = aggregates
        self.aggregatesEvicted = aggregatesEvicted
        self.alertsEvicted = alertsEvicted
    }

    /// Adds what another commit did: a batch stored in several transactions reports once.
    public mutating func add(_ other: CommitReport) {
        inserted += other.inserted
        duplicates += other.duplicates
        invalid += other.invalid
        deadLetters += other.deadLetters
        deadLettersEvicted += other.deadLettersEvicted
        readingsEvicted += other.readingsEvicted
        alerts += other.alerts
        aggregates += other.aggregates
        aggregatesEvicted += other.aggregatesEvicted
        alertsEvicted += other.alertsEvicted
    }
}

/// What one `maintain` did.
public struct MaintenanceReport: Sendable, Equatable {
    /// Readings deleted for being older than the retention.
    public var expired: Int = 0
    /// Oldest readings deleted to keep the database under `max_size`.
    public var evicted: Int = 0
    /// Whether per-series figures were written to disk.
    public var flushedStats: Bool = false
    /// Bytes in use in the database file after the pass (pages minus free pages).
    public var usedBytes: Int64 = 0
    /// The most bytes the database file may use (`max_size` minus the WAL's allowance).
    public var budgetBytes: Int64 = 0
    /// Aggregates deleted because their window started before the retention.
    public var expiredAggregates: Int = 0
    /// Alert events deleted because their alert was cleared before the retention.
    public var expiredAlerts: Int = 0
    /// Oldest aggregates deleted to keep the database under `max_size`, once no reading was left.
    public var evictedAggregates: Int = 0
    /// Oldest events of cleared alerts deleted to keep the database under `max_size`, once no
    /// reading or aggregate was left.
    public var evictedAlerts: Int = 0

    public init(
        expired: Int = 0, evicted: Int = 0, flushedStats: Bool = false, usedBytes: Int64 = 0, budgetBytes: Int64 = 0,
        expiredAggregates: Int = 0, expiredAlerts: Int = 0, evictedAggregates: Int = 0, evictedAlerts: Int = 0
    ) {
        self.expired = expired
        self.evicted = evicted
        self.flushedStats = flushedStats
        self.usedBytes = usedBytes
        self.budgetBytes = budgetBytes
        self.expiredAggregates = expiredAggregates
        self.expiredAlerts = expiredAlerts
        self.evictedAggregates = evictedAggregates
        self.evictedAlerts = evictedAlerts
    }
}
