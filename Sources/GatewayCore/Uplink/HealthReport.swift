/// The figures `<prefix>/health` carries every minute (QoS 0).
///
/// Counts are totals, not per-report figures: a hub takes the difference between two reports to
/// get a rate. Dictionaries are keyed by reason and written with sorted keys.
public struct HealthReport: Sendable, Hashable {
    public var gateway: String
    /// When the report was made.
    public var at: Timestamp
    public var uptimeSeconds: Int
    /// Readings stored.
    public var readingsIn: Int
    /// Readings received again (same sensor, metric and time) and not stored twice.
    public var readingsDuplicate: Int
    /// Dead letters by reason (`DeadLetterReason` raw values); `total` is their sum.
    public var deadLetters: [String: Int]
    /// Raw readings in the buffer.
    public var bufferRows: Int
    /// The buffer's size on disk.
    public var bufferBytes: Int
    /// The time of the oldest raw reading in the buffer; nil when it holds none.
    public var bufferOldest: Timestamp?
    /// In configuration order.
    public var hubs: [Hub]
    /// Everything deleted before it was used up, by reason: `readings_evicted`, `readings_expired`,
    /// `aggregates_evicted`, and so on.
    public var dropped: [String: Int]

    public init(
        gateway: String, at: Timestamp, uptimeSeconds: Int, readingsIn: Int, readingsDuplicate: Int,
        deadLetters: [String: Int], bufferRows: Int, bufferBytes: Int, bufferOldest: Timestamp?, hubs: [Hub],
        dropped: [String: Int]
    ) {
        self.gateway = gateway
        self.at = at
        self.uptimeSeconds = uptimeSeconds
        self.readingsIn = readingsIn
        self.readingsDuplicate = readingsDuplicate
        self.deadLetters = deadLetters
        self.bufferRows = bufferRows
        self.bufferBytes = bufferBytes
        self.bufferOldest = bufferOldest
        self.hubs = hubs
        self.dropped = dropped
    }
}

extension HealthReport {
    /// One hub's delivery.
    public struct Hub: Sendable, Hashable {
        public var name: String
        public var connected: Bool
        /// Batches still to send, including those sent and not yet acknowledged.
        public var backlogBatches: Int
        /// Aggregates not yet delivered.
        public var backlogAggregates: Int
        /// The start of the oldest window not yet delivered; nil when nothing waits.
        public var oldestBacklog: Timestamp?
        /// When the hub last acknowledged a message; nil if it never did.
        public var lastAck: Timestamp?
        /// The seq the next new batch will carry.
        public var nextSeq: Int

        public init(
            name: String, connected: Bool, backlogBatches: Int, backlogAggregates: Int, oldestBacklog: Timestamp?,
            lastAck: Timestamp?, nextSeq: Int
        ) {
            self.name = name
            self.connected = connected
            self.backlogBatches = backlogBatches
            self.backlogAggregates = backlogAggregates
            self.oldestBacklog = oldestBacklog
            self.lastAck = lastAck
            self.nextSeq = nextSeq
        }
    }
}
