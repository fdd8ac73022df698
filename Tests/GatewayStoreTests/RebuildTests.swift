import GRDB
import GatewayCore
import TestSupport
import Testing
@testable import GatewayStore

@Suite("What the rules and windows rebuild from after a restart")
struct RebuildTests {
    @Test("the rules snapshot and the windows' watermark survive reopening, and the latest one wins")
    func savedStateRoundTrips() throws {
        let directory = try TemporaryDirectory()
        let settings = storeSettings(in: directory)
        do {
            let writer = try BufferWriter(settings: settings, logger: quietLogger)
            #expect(try writer.rulesSnapshot() == nil)
            #expect(try writer.windowsClosedBefore() == nil)
            try writer.saveRulesSnapshot([1, 2, 3], throughArrival: 10)
            try writer.saveRulesSnapshot([0, 0xFF] + Array(repeating: 7, count: 100_000), throughArrival: 42)
            try writer.commit(derived: DerivedRecords(windowsClosedBefore: Timestamp(milliseconds: 60_000)))
            try writer.commit(derived: DerivedRecords(windowsClosedBefore: Timestamp(milliseconds: 120_000)))
            try writer.commit(derived: DerivedRecords(alerts: [alertEvent(.raised, raisedAt: 1)]))  // leaves it as it is
            try writer.close()
        }
        let writer = try BufferWriter(settings: settings, logger: quietLogger)
        let saved = try #require(try writer.rulesSnapshot())
        #expect(saved.snapshot == [0, 0xFF] + Array(repeating: 7, count: 100_000))
        #expect(saved.throughArrival == 42)
        #expect(try writer.windowsClosedBefore() == Timestamp(milliseconds: 120_000))
        try writer.saveRulesSnapshot([], throughArrival: 43)
        #expect(try writer.rulesSnapshot()?.snapshot == [])
        try writer.close()
    }

    @Test("readings stream back in arrival order, after an arrival number or from a time on")
    func readingsStreamInArrivalOrder() throws {
        let directory = try TemporaryDirectory()
        let writer = try BufferWriter(settings: storeSettings(in: directory), logger: quietLogger)
        #expect(try writer.latestArrival() == 0)
        // Arrival order differs from time order: a late reading, and a device whose clock is ahead.
        let arrivals = [
            reading("fes/water/m1", at: 60_000, 1),
            reading("fes/water/m2", at: 61_000, 2),
            reading("fes/water/m1", at: 3_600_000, 3),  // from the future
            reading("fes/water/m1", at: 59_000, 4),     // late
            reading("fes/air/a1", "pm10", at: 62_000, 5),
            reading("fes/water/m2", at: 30_000, 6),     // before `since` below
        ]
        try writer.commit(readings: Array(arrivals.prefix(3)))
        try writer.commit(readings: Array(arrivals.dropFirst(3)))
        #expect(try writer.latestArrival() == 6)

        // Fewer than 32 readings a commit: one insert statement, and one arrival number, each.
        var afterTwo: [Reading] = []
        try writer.readings(afterArrival: 2) { afterTwo.append($0) }
        #expect(afterTwo == Array(arrivals.dropFirst(2)))

        var since: [Reading] = []
        try writer.readings(since: Timestamp(milliseconds: 59_000)) { since.append($0) }
        #expect(since.map(\.value) == [1, 2, 3, 4, 5])

        var none = 0
        try writer.readings(afterArrival: 6) { _ in none += 1 }
        try writer.readings(since: Timestamp(milliseconds: 3_600_001)) { _ in none += 1 }
        #expect(none == 0)
        try writer.close()
    }

    @Test("streaming stops as soon as the consumer throws")
    func streamingStopsOnError() throws {
        struct Enough: Error {}
        let directory = try TemporaryDirectory()
        let writer = try BufferWriter(settings: storeSettings(in: directory), logger: quietLogger)
        try writer.commit(readings: batch(sensors: 100, steps: 10, start: 0))
        var received = 0
        #expect(throws: Enough.self) {
            try writer.readings(since: Timestamp(milliseconds: 0)) { _ in
                received += 1
                if received == 3 { throw Enough() }
            }
        }
        #expect(received == 3)
        try writer.commit(readings: batch(sensors: 1, start: 100))  // the writer is still usable
        try writer.close()
    }

    @Test("readings since a time or after an arrival are a range of the time key, not a scan of the table")
    func streamsSearchTheTimeKey() throws {
        let directory = try TemporaryDirectory()
        let writer = try BufferWriter(settings: storeSettings(in: directory), logger: quietLogger)
        let queries: [(String, StatementArguments)] = [(BufferWriter.readingsSinceSQL, [1]), (BufferWriter.readingsAfterSQL, [1, 1])]
        for (sql, arguments) in queries {
            let plan = try writer.queue.read { db in
                try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql, arguments: arguments)
                    .map { $0["detail"] as String }.joined(separator: "; ")
            }
            #expect(plan.contains("SEARCH reading USING PRIMARY KEY (t>?)"), "\(plan)")
        }
        try writer.close()
    }
}
