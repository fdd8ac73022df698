import GRDB
import GatewayCore

/// What the rules and windows made of some readings, or of the clock: stored by the writer in the
/// same transaction as the readings they came from, so a restart finds either both or neither.
public struct DerivedRecords: Sendable, Equatable {
    /// Alert events, in the order they happened; one already stored (same id and state) is ignored.
    public var alerts: [AlertEvent]
    /// Aggregates, in the order they were emitted; a revision already stored is ignored.
    public var aggregates: [Aggregate]
    /// The windows' watermark after these records (`WindowAggregator.closedBefore`), saved with
    /// them when set.
    public var windowsClosedBefore: Timestamp?

    public init(alerts: [AlertEvent] = [], aggregates: [Aggregate] = [], windowsClosedBefore: Timestamp? = nil) {
        self.alerts = alerts
        self.aggregates = aggregates
        self.windowsClosedBefore = windowsClosedBefore
    }

    public var isEmpty: Bool {
        alerts.isEmpty && aggregates.isEmpty && windowsClosedBefore == nil
    }

    /// Stores the records in the caller's transaction, counting what was new in `report`.
    func insert(in db: Database, report: inout CommitReport) throws {
        report.alerts += try AlertEventTable.insert(alerts, in: db)
        report.aggregates += try AggregateTable.insert(aggregates, in: db)
        if let windowsClosedBefore {
            try EngineStateTable.save(EngineStateTable.windowsClosedBefore, windowsClosedBefore.milliseconds, in: db)
        }
    }
}
