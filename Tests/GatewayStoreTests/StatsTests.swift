import Foundation
import GRDB
import GatewayCore
import TestSupport
import Testing
@testable import GatewayStore

@Suite("Per-series figures")
struct StatsTests {
    /// Readings out of time order, so "last" has to mean the greatest time, not the latest insert.
    let readings = [
        reading("fes/water/m1", at: 5_000, 5),
        reading("fes/water/m1", at: 3_000, 3),
        reading("fes/water/m2", at: 1_000, 10),
        reading("fes/water/m1", at: 7_000, 7),
        reading("fes/water/m1", at: 6_000, 6),
        reading("fes/water/m2", at: 2_000, 20),
    ]
    let expected = [
        SensorStatus(sensor: "fes/water/m1", metric: "flow", lastValue: 7, lastTime: Timestamp(milliseconds: 7_000), count: 4),
        SensorStatus(sensor: "fes/water/m2", metric: "flow", lastValue: 20, lastTime: Timestamp(milliseconds: 2_000), count: 2),
    ]

    @Test("after a flush, status has each series' count and its latest reading by time")
    func exactAfterFlush() throws {
        let directory = try TemporaryDirectory()
        let settings = storeSettings(in: directory)
        let writer = try BufferWriter(settings: settings, logger: quietLogger)
        try writer.commit(readings: Array(readings.prefix(3)))
        try writer.commit(readings: Array(readings.dropFirst(3)))
        let report = try writer.maintain(now: Timestamp(milliseconds: 8_000))
        #expect(report.flushedStats)
        let flushed = try writer.queue.read { db in
            try Row.fetchAll(db, sql: "SELECT count, last_t, last_value FROM series_stats ORDER BY series")
        }
        #expect(flushed.map { $0[0] as Int64 } == [4, 2])
        #expect(flushed.map { $0[1] as Int64 } == [7_000, 2_000])
        #expect(try BufferReader(path: settings.path).status(now: Timestamp(milliseconds: 8_000)).sensors == expected)
        try writer.close()
    }

    @Test("figures are flushed only when the interval has passed since the last flush")
    func flushFollowsTheInterval() throws {
        let directory = try TemporaryDirectory()
        let writer = try BufferWriter(settings: storeSettings(in: directory), logger: quietLogger)
        try writer.commit(readings: [reading("fes/water/m1", at: 1_000, 1)])
        #expect(try writer.maintain(now: Timestamp(milliseconds: 100_000)).flushedStats)
        try writer.commit(readings: [reading("fes/water/m1", at: 2_000, 2)])
        #expect(try !writer.maintain(now: Timestamp(milliseconds: 109_999)).flushedStats)
        #expect(try writer.maintain(now: Timestamp(milliseconds: 110_000)).flushedStats)
        #expect(try !writer.maintain(now: Timestamp(milliseconds: 200_000)).flushedStats)  // nothing new
        try writer.close()
    }

    @Test("figures are exact without a flush when the writer is dropped without closing")
    func exactWithoutFlush() throws {
        let directory = try TemporaryDirectory()
        let settings = storeSettings(in: directory)
        do {
            let writer = try BufferWriter(settings: settings, logger: quietLogger)
            try writer.commit(readings: Array(readings.prefix(2)))
            try writer.maintain(now: Timestamp(milliseconds: 8_000))  // part of it flushed
            try writer.commit(readings: Array(readings.dropFirst(2)))
            // Dropped here: no close, so the rest is only in the readings table.
        }
        let unflushed = try BufferReader(path: settings.path).status(now: Timestamp(milliseconds: 8_000))
        #expect(unflushed.sensors == expected)
        #expect(unflushed.rows == 6)

        // A writer opened afterwards picks up the same figures and carries on from them.
        let writer = try BufferWriter(settings: settings, logger: quietLogger)
        try writer.commit(readings: [reading("fes/water/m2", at: 1_500, 15)])
        try writer.close()
        let reopened = try BufferReader(path: settings.path).status(now: Timestamp(milliseconds: 8_000))
        #expect(reopened.sensors.map(\.count) == [4, 3])
        #expect(reopened.sensors.map(\.lastValue) == [7, 20])
    }

    @Test("the files as a SIGKILL leaves them (copied while the writer is open) give exact figures")
    func exactFromCrashCopy() throws {
        let directory = try TemporaryDirectory()
        let crashed = try TemporaryDirectory()
        let settings = storeSettings(in: directory)
        let writer = try BufferWriter(settings: settings, logger: quietLogger)
        try writer.commit(readings: Array(readings.prefix(4)))
        try writer.maintain(now: Timestamp(milliseconds: 8_000))
        try writer.commit(readings: Array(readings.dropFirst(4)))
        try copyAsKilled(settings, to: crashed.file("buffer.sqlite"))
        try writer.close()

        let status = try BufferReader(path: crashed.file("buffer.sqlite")).status(now: Timestamp(milliseconds: 8_000))
        #expect(status.sensors == expected)
        let restarted = try BufferWriter(settings: storeSettings(in: crashed), logger: quietLogger)
        try restarted.close()
        let afterRestart = try BufferReader(path: crashed.file("buffer.sqlite")).status(now: Timestamp(milliseconds: 8_000))
        #expect(afterRestart.sensors == expected)
    }

    @Test("deleting readings keeps the counts of everything accepted and the last values")
    func deletionsKeepFigures() throws {
        let directory = try TemporaryDirectory()
        let settings = storeSettings(in: directory, retention: .seconds(3))
        let writer = try BufferWriter(settings: settings, logger: quietLogger)
        try writer.commit(readings: readings)
        // No flush yet: the expiry must flush in the same transaction as it deletes.
        let report = try writer.maintain(now: Timestamp(milliseconds: 8_000))
        // Before 5 000 ms: m1 at 3 000, m2 at 1 000 and 2 000.
        #expect(report.expired == 3)
        let status = try BufferReader(path: settings.path).status(now: Timestamp(milliseconds: 8_000))
        #expect(status.sensors == expected)
        #expect(status.rows == 3)

        try writer.commit(readings: [reading("fes/water/m1", at: 8_000, 8)])
        #expect(try writer.maintain(now: Timestamp(milliseconds: 8_000)).expired == 0)
        let later = try BufferReader(path: settings.path).status(now: Timestamp(milliseconds: 8_000))
        #expect(later.sensors.map(\.count) == [5, 2])
        #expect(later.sensors.map(\.lastValue) == [8, 20])
        #expect(later.rows == 4)
        #expect(later.counters["readings.expired"] == 3)
        // Accepted readings are counted per series, so deletions leave the total of all stored.
        #expect(try BufferReader(path: settings.path).acceptedReadings() == 7)
        try writer.close()
    }
}
