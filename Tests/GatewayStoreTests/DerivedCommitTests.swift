import GRDB
import GatewayCore
import TestSupport
import Testing
@testable import GatewayStore

@Suite("Committing what the rules and windows derive")
struct DerivedCommitTests {
    @Test("derive is handed the new readings only, in input order: duplicates and invalid values left out")
    func deriveSeesNewReadings() throws {
        let directory = try TemporaryDirectory()
        let writer = try BufferWriter(settings: storeSettings(in: directory), logger: quietLogger)
        let first = batch(sensors: 50, steps: 2, start: 1_000)  // 100 readings
        var seen: [[Reading]] = []
        try writer.commit(readings: first) { new, _ in
            seen.append(new)
            return DerivedRecords()
        }
        #expect(seen == [first])

        // Redelivered readings spread over the 32-row groups, a NaN, and a key twice in one batch.
        var mixed: [Reading] = []
        var expected: [Reading] = []
        let fresh = batch(sensors: 40, start: 5_000, sensorPrefix: "fes/air/a-")
        for (index, new) in fresh.enumerated() {
            mixed.append(new)
            expected.append(new)
            if index % 3 == 0 { mixed.append(first[index * 2]) }
            if index == 17 { mixed.append(reading("fes/air/a-17", at: 9_000, .nan)) }
        }
        mixed.append(fresh[5])
        let report = try writer.commit(readings: mixed) { new, _ in
            seen.append(new)
            return DerivedRecords()
        }
        #expect(report.inserted == 40)
        #expect(report.invalid == 1)
        #expect(report.duplicates == 15)
        #expect(seen.last == expected)

        // A whole batch redelivered after a restart: nothing new to derive from.
        try writer.close()
        let reopened = try BufferWriter(settings: storeSettings(in: directory), logger: quietLogger)
        try reopened.commit(readings: first) { new, _ in
            seen.append(new)
            return DerivedRecords()
        }
        #expect(seen.last == [])
        try reopened.close()
    }

    @Test("derived alerts and aggregates are stored in order, once, whatever is committed again")
    func derivedRecordsAreIdempotent() throws {
        let directory = try TemporaryDirectory()
        let settings = storeSettings(in: directory)
        let writer = try BufferWriter(settings: settings, logger: quietLogger)
        let records = DerivedRecords(
            alerts: [alertEvent(.raised, raisedAt: 60_000), alertEvent(.raised, sensor: "fes/water/m2", raisedAt: 61_000)],
            aggregates: [aggregate("fes/water/m2", start: 0), aggregate("fes/water/m1", start: 0)],
            windowsClosedBefore: Timestamp(milliseconds: 60_000)
        )
        let report = try writer.commit(readings: [reading("fes/water/m1", at: 60_000, 2.7)]) { _, _ in records }
        #expect(report == CommitReport(inserted: 1, alerts: 2, aggregates: 2))

        // The same records derived again (a restart re-feeding readings), plus one new event.
        var again = records
        again.alerts.append(alertEvent(.cleared, raisedAt: 60_000, at: 120_000, value: 1.2))
        #expect(try writer.commit(derived: again) == CommitReport(alerts: 1))
        let redelivered = try writer.commit(readings: [reading("fes/water/m1", at: 60_000, 2.7)]) { _, _ in again }
        #expect(redelivered == CommitReport(duplicates: 1))

        #expect(try storedAlerts(writer) == again.alerts)
        #expect(try storedAggregates(writer) == records.aggregates)
        #expect(try writer.windowsClosedBefore() == Timestamp(milliseconds: 60_000))
        let status = try BufferReader(path: settings.path).status(now: Timestamp(milliseconds: 130_000))
        #expect(status.counters["alerts.stored"] == 3)
        #expect(status.counters["aggregates.stored"] == 2)
        try writer.close()
    }

    @Test("a derive that throws rolls back the readings and dead letters too, and the writer carries on")
    func throwingDeriveRollsBack() throws {
        struct RulesFailed: Error {}
        let directory = try TemporaryDirectory()
        let settings = storeSettings(in: directory)
        let writer = try BufferWriter(settings: settings, logger: quietLogger)
        try writer.commit(readings: [reading("fes/water/m1", at: 1_000, 1)])
        let readings = [reading("fes/water/m1", at: 2_000, 2), reading("fes/water/m9", at: 2_000, 9)]
        #expect(throws: RulesFailed.self) {
            try writer.commit(readings: readings, deadLetters: [deadLetter(reason: "payload.json")]) { _, _ in
                throw RulesFailed()
            }
        }
        #expect(try exportAll(BufferReader(path: settings.path)).map(\.value) == [1])
        #expect(try rowCount("dead_letter", writer) == 0)
        // The rolled-back statements' arrival numbers are not handed out again.
        let latest = try writer.latestArrival()
        #expect(latest >= 1)

        // The same group again: every reading is new, the new series gets a fresh id.
        var seen: [Reading] = []
        let report = try writer.commit(readings: readings) { new, _ in
            seen = new
            return DerivedRecords(aggregates: [aggregate(start: 0)])
        }
        #expect(report == CommitReport(inserted: 2, aggregates: 1))
        #expect(seen == readings)
        try writer.maintain(now: Timestamp(milliseconds: 3_000))
        let status = try BufferReader(path: settings.path).status(now: Timestamp(milliseconds: 3_000))
        #expect(status.sensors.map(\.count) == [2, 1])
        #expect(status.counters["readings.duplicate"] == 0)
        try writer.close()
    }

    @Test("derive reads the highest stored revision of a window, inside the commit")
    func storedAggregatesGiveTheLatestRevision() throws {
        let directory = try TemporaryDirectory()
        let writer = try BufferWriter(settings: storeSettings(in: directory), logger: quietLogger)
        try writer.commit(derived: DerivedRecords(aggregates: [
            aggregate(start: 0, rev: 0, count: 3),
            aggregate("fes/water/m2", start: 0, rev: 0, count: 7),
            aggregate(start: 60_000, rev: 0, count: 1),
            aggregate(start: 0, rev: 2, count: 5),
            aggregate(start: 0, rev: 1, count: 4),
        ]))
        let late = reading("fes/water/m1", at: 30_000, 9)
        try writer.commit(readings: [late]) { new, stored in
            let latest = try #require(try stored.latest(sensor: "fes/water/m1", metric: "flow", start: Timestamp(milliseconds: 0), windowSeconds: 60))
            #expect(latest.rev == 2)
            #expect(latest.count == 5)
            #expect(try stored.latest(sensor: "fes/water/m1", metric: "flow", start: Timestamp(milliseconds: 0), windowSeconds: 300) == nil)
            #expect(try stored.latest(sensor: "fes/water/m3", metric: "flow", start: Timestamp(milliseconds: 0), windowSeconds: 60) == nil)
            var revised = latest.adding(new[0])
            revised.rev += 1
            return DerivedRecords(aggregates: [revised])
        }
        let stored = try storedAggregates(writer)
        #expect(stored.count == 6)
        #expect(stored.last?.rev == 3)
        #expect(stored.last?.count == 6)
        #expect(stored.last?.max == 9)
        try writer.close()
    }

    @Test("every field of an alert event and an aggregate round-trips, nil values included")
    func recordsRoundTrip() throws {
        let directory = try TemporaryDirectory()
        let writer = try BufferWriter(settings: storeSettings(in: directory), logger: quietLogger)
        let silent = AlertEvent(
            id: "quiet/fes/waste/bin-7/1764118800000", rule: "quiet", sensor: "fes/waste/bin-7", metric: "fill",
            severity: .critical, state: .raised, at: Timestamp(milliseconds: 1_764_118_800_000), value: nil, threshold: nil
        )
        let odd = Aggregate(
            sensor: "fes/air/a1", metric: "pm10", start: Timestamp(milliseconds: -86_400_000), windowSeconds: 86_400,
            count: 2, min: -1.5e300, max: 1e-300, sum: -1.5e300, last: -0.0, lastTime: Timestamp(milliseconds: -1), rev: 7
        )
        try writer.commit(derived: DerivedRecords(alerts: [silent, alertEvent(.raised, raisedAt: 5, severity: .info)], aggregates: [odd]))
        #expect(try storedAlerts(writer) == [silent, alertEvent(.raised, raisedAt: 5, severity: .info)])
        #expect(try storedAggregates(writer) == [odd])
        try writer.close()
    }
}
