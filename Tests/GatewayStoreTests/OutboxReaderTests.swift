import Foundation
import GRDB
import GatewayCore
import TestSupport
import Testing
@testable import GatewayStore

@Suite("Reading the alert and aggregate outboxes")
struct OutboxReaderTests {
    @Test("status lists the active alerts until their clear is stored, with the outboxes' sizes")
    func statusShowsActiveAlerts() throws {
        let directory = try TemporaryDirectory()
        let settings = storeSettings(in: directory)
        let writer = try BufferWriter(settings: settings, logger: quietLogger)
        let reader = try BufferReader(path: settings.path)
        let empty = try reader.status(now: Timestamp(milliseconds: 0))
        #expect(empty.activeAlerts.isEmpty && empty.alertEvents == 0 && empty.aggregates == 0)
        #expect(empty.latestAggregateStart == nil)

        let leak = alertEvent(.raised, sensor: "fes/water/m1", raisedAt: 60_000, value: 2.7)
        let silent = alertEvent(.raised, rule: "quiet", sensor: "fes/waste/bin-7", raisedAt: 61_000, value: nil, severity: .minor)
        try writer.commit(readings: [reading("fes/water/m1", at: 60_000, 2.7)]) { _, _ in
            DerivedRecords(alerts: [leak], aggregates: [aggregate(start: 0), aggregate(start: 0, rev: 1), aggregate(start: 60_000)])
        }
        try writer.commit(derived: DerivedRecords(alerts: [silent]))
        var status = try reader.status(now: Timestamp(milliseconds: 70_000))
        #expect(status.activeAlerts == [
            ActiveAlert(
                id: "night-leak/fes/water/m1/60000", rule: "night-leak", sensor: "fes/water/m1", metric: "flow",
                severity: .major, raisedAt: Timestamp(milliseconds: 60_000), value: 2.7, threshold: 2
            ),
            ActiveAlert(
                id: "quiet/fes/waste/bin-7/61000", rule: "quiet", sensor: "fes/waste/bin-7", metric: "flow",
                severity: .minor, raisedAt: Timestamp(milliseconds: 61_000), value: nil, threshold: 2
            ),
        ])
        #expect(status.alertEvents == 2)
        #expect(status.aggregates == 3)
        #expect(status.latestAggregateStart == Timestamp(milliseconds: 60_000))

        try writer.commit(derived: DerivedRecords(alerts: [alertEvent(.cleared, sensor: "fes/water/m1", raisedAt: 60_000, at: 90_000)]))
        status = try reader.status(now: Timestamp(milliseconds: 100_000))
        #expect(status.activeAlerts.map(\.rule) == ["quiet"])
        #expect(status.alertEvents == 3)
        let decoded = try JSONDecoder().decode(BufferStatus.self, from: JSONEncoder().encode(status))
        #expect(decoded == status)
        try writer.close()
    }

    @Test("the outboxes read back in pages, in storage order, after a given id")
    func outboxesPage() throws {
        let directory = try TemporaryDirectory()
        let settings = storeSettings(in: directory)
        let writer = try BufferWriter(settings: settings, logger: quietLogger)
        let aggregates = (0..<10).map { aggregate("fes/water/m\($0 % 3)", start: Int64(9 - $0) * 60_000) }
        let alerts = (0..<4).map { (index: Int) -> AlertEvent in
            let state: AlertState = index % 2 == 0 ? .raised : .cleared
            return alertEvent(state, raisedAt: Int64(index / 2), at: Int64(index))
        }
        try writer.commit(derived: DerivedRecords(alerts: alerts, aggregates: aggregates))
        let reader = try BufferReader(path: settings.path)

        let first = try reader.aggregates(since: 0, limit: 4)
        #expect(first.map(\.aggregate) == Array(aggregates.prefix(4)))
        let rest = try reader.aggregates(since: try #require(first.last).id, limit: 100)
        #expect(rest.map(\.aggregate) == Array(aggregates.dropFirst(4)))
        #expect((first + rest).map(\.id) == (first + rest).map(\.id).sorted())
        #expect(try reader.aggregates(since: try #require(rest.last).id, limit: 100).isEmpty)

        let events = try reader.alertEvents(since: 0, limit: 3)
        #expect(events.map(\.event) == Array(alerts.prefix(3)))
        #expect(try reader.alertEvents(since: events[2].id, limit: 3).map(\.event) == [alerts[3]])

        // Ids are never handed out twice, even once retention has emptied an outbox.
        let lastID = try #require(rest.last).id
        try writer.queue.write { db in try db.execute(sql: "DELETE FROM aggregate") }
        try writer.commit(derived: DerivedRecords(aggregates: [aggregate(start: 600_000)]))
        #expect(try reader.aggregates(since: lastID, limit: 10).map(\.id) == [lastID + 1])
        try writer.close()
    }

    @Test("a buffer without the outbox tables reads as having none")
    func readerOnAnOlderFile() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("buffer.sqlite")
        let queue = try DatabaseQueue(path: path)
        try Migrations.migrator.migrate(queue, upTo: "v1-counters")
        try queue.close()
        let reader = try BufferReader(path: path)
        let status = try reader.status(now: Timestamp(milliseconds: 0))
        #expect(status.activeAlerts.isEmpty && status.alertEvents == 0 && status.aggregates == 0)
        #expect(try reader.aggregates(since: 0, limit: 10).isEmpty)
        #expect(try reader.alertEvents(since: 0, limit: 10).isEmpty)
    }

    @Test("a stored event with a severity this StreetGate does not know is reported, not guessed")
    func unknownSeverity() throws {
        let directory = try TemporaryDirectory()
        let settings = storeSettings(in: directory)
        let writer = try BufferWriter(settings: settings, logger: quietLogger)
        try writer.commit(derived: DerivedRecords(alerts: [alertEvent(.raised, raisedAt: 1)]))
        try writer.queue.write { db in try db.execute(sql: "UPDATE alert_event SET severity = 'apocalyptic'") }
        #expect(throws: StoreError.unreadableRow(table: "alert_event", id: 1, reason: "unknown severity \"apocalyptic\"")) {
            try BufferReader(path: settings.path).alertEvents(since: 0, limit: 1)
        }
        try writer.close()
    }
}
