import GatewayCore

/// One uplink message as built for a hub: an alert event, or a batch of aggregates with its `seq`.
///
/// It is stored when built and deleted when the hub's broker acknowledged it, so a restart resends
/// exactly what was in flight, with the same `seq` and the same bytes.
public struct HubMessage: Sendable, Equatable {
    public enum Kind: String, Sendable {
        case alert
        case aggregates
    }

    /// The storage id: messages of a hub are sent in this order.
    public let id: Int64
    public let hub: String
    public let kind: Kind
    /// The batch's sequence number; alerts have none (their `id` and `state` identify them).
    public let seq: Int?
    public let historical: Bool
    /// Aggregates in the batch, or 1 for an alert.
    public let items: Int
    /// The oldest time inside: a window's start, or an alert's time.
    public let oldest: Timestamp
    public let payload: [UInt8]
}

/// Where a batch of aggregates is taken from.
public enum BatchSource: Sendable {
    /// What the windows emitted since the hub was last connected and caught up.
    case live
    /// What piled up while the hub was away: sent beside live data, marked `historical`.
    case backlog
}

/// What `status` and `health` tell about one hub's delivery.
public struct HubDelivery: Sendable, Equatable {
    public var name: String
    /// As the daemon last recorded it; a stopped daemon leaves its last state.
    public var connected: Bool
    public var changedAt: Timestamp?
    public var lastAck: Timestamp?
    public var nextSeq: Int
    /// Messages sent and not yet acknowledged.
    public var unacknowledged: Int
    /// Aggregates not yet put into any batch for this hub.
    public var pendingAggregates: Int
    /// Alert events not yet put into a message for this hub.
    public var pendingAlerts: Int
    /// Batches still to send: unacknowledged ones plus the pending aggregates in `max_batch` batches.
    public var backlogBatches: Int
    /// The start of the oldest window not yet delivered.
    public var oldestPending: Timestamp?
    /// Deleted by the size bound or the retention before this hub received them.
    public var droppedAggregates: Int
    public var droppedAlerts: Int

    public init(
        name: String, connected: Bool, changedAt: Timestamp?, lastAck: Timestamp?, nextSeq: Int,
        unacknowledged: Int, pendingAggregates: Int, pendingAlerts: Int, backlogBatches: Int,
        oldestPending: Timestamp?, droppedAggregates: Int, droppedAlerts: Int
    ) {
        self.name = name
        self.connected = connected
        self.changedAt = changedAt
        self.lastAck = lastAck
        self.nextSeq = nextSeq
        self.unacknowledged = unacknowledged
        self.pendingAggregates = pendingAggregates
        self.pendingAlerts = pendingAlerts
        self.backlogBatches = backlogBatches
        self.oldestPending = oldestPending
        self.droppedAggregates = droppedAggregates
        self.droppedAlerts = droppedAlerts
    }
}
