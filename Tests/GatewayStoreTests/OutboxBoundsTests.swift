import GRDB
import GatewayCore
import InMemoryLogging
import Logging
import TestSupport
import Testing
@testable import GatewayStore

@Suite("Bounds on the alert and aggregate outboxes")
struct OutboxBoundsTests {
    static let maxSize = StoreSettings.minimumMaxSize

    /// `count` cleared alerts of distinct sensors, raised at `at` and cleared a minute later.
    func clearedPairs(_ count: Int, at: Int64, prefix: String) -> [AlertEvent] {
        (0..<count).flatMap { index in
            [
                alertEvent(.raised, sensor: "\(prefix)-\(index)", raisedAt: at),
                alertEvent(.cleared, sensor: "\(prefix)-\(index)", raisedAt: at, at: at + 60_000),
            ]
        }
    }

    /// `count` aggregates of distinct sensors for the window starting at `start`.
    func aggregates(_ count: Int, start: Int64, prefix: String = "fes/water/meter") -> [Aggregate] {
        (0..<count).map { aggregate("\(prefix)-\($0)", start: start) }
    }

    /// Every stored outbox row is counted as stored, and every deleted one as deleted.
    func expectCountsAddUp(_ writer: BufferWriter, path: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let status = try BufferReader(path: path).status(now: Timestamp(milliseconds: 0))
        #expect(status.alertEvents == (try rowCount("alert_event", writer)), sourceLocation: sourceLocation)
        #expect(status.aggregates == (try rowCount("aggregate", writer)), sourceLocation: sourceLocation)
    }

    @Test("retention deletes aggregates by window start and cleared alerts by their clear; active alerts stay")
    func retention() throws {
        let directory = try TemporaryDirectory()
        let settings = storeSettings(in: directory, retention: .seconds(60))
        let writer = try BufferWriter(settings: settings, logger: quietLogger)
        let now: Int64 = 1_000_000
        let active = alertEvent(.raised, sensor: "fes/water/old-leak", raisedAt: now - 500_000)
        try writer.commit(derived: DerivedRecords(
            alerts: [
                active,
                alertEvent(.raised, sensor: "fes/water/m1", raisedAt: now - 200_000),
                alertEvent(.raised, sensor: "fes/water/m2", raisedAt: now - 200_000),
                alertEvent(.cleared, sensor: "fes/water/m1", raisedAt: now - 200_000, at: now - 100_000),
                alertEvent(.cleared, sensor: "fes/water/m2", raisedAt: now - 200_000, at: now - 30_000),
            ],
            aggregates: [
                aggregate(start: now - 120_000),
                aggregate(start: now - 60_001),
                aggregate(start: now - 60_000),  // exactly at the retention: kept
                aggregate(start: now - 1),
                aggregate(start: now - 120_000, rev: 1),  // a late revision of an old window
                aggregate(start: now - 1, rev: 1),
            ]
        ))
        let report = try writer.maintain(now: Timestamp(milliseconds: now))
        #expect(report.expiredAggregates == 3)
        #expect(report.expiredAlerts == 2)
        #expect(try storedAggregates(writer).map(\.start.milliseconds) == [now - 60_000, now - 1, now - 1])
        #expect(try storedAlerts(writer).map(\.sensor) == ["fes/water/old-leak", "fes/water/m2", "fes/water/m2"])

        let status = try BufferReader(path: settings.path).status(now: Timestamp(milliseconds: now))
        #expect(status.counters["aggregates.expired"] == 3)
        #expect(status.counters["alerts.expired"] == 2)
        #expect(status.activeAlerts == [ActiveAlert(raised: active)])
        #expect(status.alertEvents == 3)
        #expect(status.aggregates == 3)
        try expectCountsAddUp(writer, path: settings.path)

        let later = try writer.maintain(now: Timestamp(milliseconds: now))
        #expect(later.expiredAggregates == 0 && later.expiredAlerts == 0)
        try writer.close()
    }

    @Test("a backlog of expired aggregates and alerts goes in several chunks, all counted")
    func retentionInChunks() throws {
        let directory = try TemporaryDirectory()
        let settings = storeSettings(in: directory, retention: .seconds(3_600))
        let writer = try BufferWriter(settings: settings, logger: quietLogger)
        for window in 0..<25 {
            try writer.commit(derived: DerivedRecords(aggregates: aggregates(1_000, start: Int64(window) * 60_000)))
        }
        try writer.commit(derived: DerivedRecords(alerts: clearedPairs(12_000, at: 0, prefix: "fes/water/m")))
        let now: Int64 = 10_000_000
        try writer.commit(derived: DerivedRecords(aggregates: aggregates(1_000, start: now)))
        let report = try writer.maintain(now: Timestamp(milliseconds: now))
        #expect(report.expiredAggregates == 25_000)
        #expect(report.expiredAlerts == 24_000)
        let status = try BufferReader(path: settings.path).status(now: Timestamp(milliseconds: now))
        #expect(status.aggregates == 1_000)
        #expect(status.alertEvents == 0)
        #expect(status.counters["aggregates.expired"] == 25_000)
        try expectCountsAddUp(writer, path: settings.path)
        try writer.close()
    }

    @Test("retention walks indexes instead of scanning the outboxes")
    func retentionUsesIndexes() throws {
        let directory = try TemporaryDirectory()
        let writer = try BufferWriter(settings: storeSettings(in: directory), logger: quietLogger)
        let plans = try writer.queue.read { db in
            try [
                "SELECT id FROM aggregate WHERE start < 1 ORDER BY start LIMIT 10",
                "SELECT alert_id FROM alert_event WHERE state = 'cleared' AND at < 1 ORDER BY at LIMIT 10",
                "SELECT max(start) FROM aggregate",
            ].map { sql in
                try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql).map { $0["detail"] as String }.joined(separator: "; ")
            }
        }
        #expect(plans[0].contains("COVERING INDEX sqlite_autoindex_aggregate_1 (start<?)"), "\(plans[0])")
        #expect(plans[1].contains("INDEX alert_event_cleared_by_time (at<?)"), "\(plans[1])")
        #expect(plans[2].contains("COVERING INDEX sqlite_autoindex_aggregate_1"), "\(plans[2])")
        for plan in plans { #expect(!plan.contains("TEMP B-TREE"), "\(plan)") }
        try writer.close()
    }

    @Test("past max_size, readings go first, then the oldest aggregates, then cleared alerts; active alerts never")
    func sizeEvictionOrder() throws {
        let directory = try TemporaryDirectory()
        let settings = storeSettings(in: directory, maxSize: Self.maxSize)
        let (logger, logs) = recordingLogger()
        let writer = try BufferWriter(settings: settings, logger: logger)
        var active = [alertEvent(.raised, sensor: "fes/water/first", raisedAt: 0)]
        try writer.commit(derived: DerivedRecords(alerts: active + clearedPairs(200, at: 1, prefix: "fes/water/early")))
        try writer.commit(readings: batch(sensors: 1_000, steps: 5, start: 0))

        // Aggregates until the first of them is evicted: every reading went before.
        var total = MaintenanceReport()
        var window: Int64 = 0
        while total.evictedAggregates == 0 {
            window += 1
            try writer.commit(derived: DerivedRecords(aggregates: aggregates(500, start: window * 60_000)))
            let report = try writer.maintain(now: Timestamp(milliseconds: 0))
            total.evicted += report.evicted
            total.evictedAggregates += report.evictedAggregates
            #expect(report.evictedAlerts == 0)
            #expect(window < 200, "no eviction after 100,000 aggregates")
            if window >= 200 { return }
        }
        #expect(total.evicted == 5_000)
        #expect(try rowCount("reading", writer) == 0)
        // Oldest first: what remains is the latest windows, without gaps.
        let starts = try storedAggregates(writer).map(\.start.milliseconds)
        #expect(starts.last == window * 60_000)
        #expect(starts == starts.sorted())
        #expect(starts.count == (window - starts[0] / 60_000 + 1) * 500)

        // Then alert events, raised and cleared, with now and then an alert that stays active.
        var round = 0
        while total.evictedAlerts == 0 {
            round += 1
            let raisedAt = 1_000_000 + Int64(round) * 60_000
            var alerts = clearedPairs(500, at: raisedAt, prefix: "fes/water/m")
            if round % 5 == 0 {
                active.append(alertEvent(.raised, sensor: "fes/water/stuck-\(round)", raisedAt: raisedAt))
                alerts.append(active.last!)
            }
            try writer.commit(derived: DerivedRecords(alerts: alerts))
            let report = try writer.maintain(now: Timestamp(milliseconds: 0))
            total.evictedAggregates += report.evictedAggregates
            total.evictedAlerts += report.evictedAlerts
            #expect(round < 200, "no alert evicted after 200,000 events")
            if round >= 200 { return }
        }
        #expect(try rowCount("aggregate", writer) == 0)
        #expect(diskBytes(settings) <= Self.maxSize)

        let status = try BufferReader(path: settings.path).status(now: Timestamp(milliseconds: 0))
        #expect(status.activeAlerts == active.map(ActiveAlert.init(raised:)))
        #expect(status.counters["readings.evicted"] == 5_000)
        #expect(status.counters["aggregates.evicted"] == Int64(total.evictedAggregates))
        #expect(status.counters["alerts.evicted"] == Int64(total.evictedAlerts))
        #expect(status.aggregates == 0)
        try expectCountsAddUp(writer, path: settings.path)
        // Oldest first, a raise before its clear: no raise is left without its clear but the active ones.
        let unpaired = try writer.queue.read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM alert_event WHERE \(AlertEventTable.activeCondition)")
        }
        #expect(unpaired == active.count)

        let warnings = logs.entries.filter { $0.level == .warning }
        #expect(warnings.contains { $0.metadata["aggregates.evicted"] != nil && $0.metadata["alerts.evicted"] != nil })
        try writer.close()
    }

    @Test("a commit of derived records that hits max_size evicts the oldest aggregates and is stored")
    func derivedCommitEvictsWhenFull() throws {
        let directory = try TemporaryDirectory()
        let settings = storeSettings(in: directory, maxSize: Self.maxSize)
        let writer = try BufferWriter(settings: settings, logger: quietLogger)
        var evicted = 0
        var window: Int64 = 0
        while evicted == 0 {
            window += 1
            // No maintenance at all: only SQLITE_FULL makes room.
            let report = try writer.commit(derived: DerivedRecords(aggregates: aggregates(500, start: window * 60_000)))
            #expect(report.aggregates == 500)
            evicted += report.aggregatesEvicted
            #expect(window < 200)
            if window >= 200 { return }
        }
        #expect(try storedAggregates(writer).last?.start.milliseconds == window * 60_000)
        #expect(diskBytes(settings) <= Self.maxSize)
        try expectCountsAddUp(writer, path: settings.path)
        try writer.close()
    }

    @Test("a buffer holding nothing but active alerts is full rather than forgetting one")
    func activeAlertsAreNeverEvicted() throws {
        let directory = try TemporaryDirectory()
        let settings = storeSettings(in: directory, maxSize: Self.maxSize)
        let writer = try BufferWriter(settings: settings, logger: quietLogger)
        var stored = 0
        var failure: (any Error)?
        for round in 0..<200 {
            let raises = (0..<500).map { alertEvent(.raised, sensor: "fes/water/m-\(round)-\($0)", raisedAt: Int64(round)) }
            do {
                stored += try writer.commit(derived: DerivedRecords(alerts: raises)).alerts
                try writer.maintain(now: Timestamp(milliseconds: 0))
            } catch {
                failure = error
                break
            }
        }
        #expect(failure as? StoreError == .full(path: settings.path, maxSize: Self.maxSize))
        let status = try BufferReader(path: settings.path).status(now: Timestamp(milliseconds: 0))
        #expect(status.activeAlerts.count == stored)
        #expect(status.counters["alerts.evicted"] == 0)
        try writer.close()
    }
}
