import Foundation
import GRDB
import GatewayCore
import TestSupport
import Testing
@testable import GatewayStore

@Suite("Committing readings and dead letters")
struct CommitTests {
    @Test("committed readings and dead letters are all there after reopening")
    func commitSurvivesReopen() throws {
        let directory = try TemporaryDirectory()
        let settings = storeSettings(in: directory)
        let readings = [
            reading("fes/water/m1", at: 1_000, 2.5),
            reading("fes/water/m1", "pressure", at: 1_000, 3.1),
            reading("fes/air/a7", "pm10", at: 1_500, 41),
            reading("fes/water/m1", at: 2_000, 2.75),
        ]
        do {
            let writer = try BufferWriter(settings: settings, logger: quietLogger)
            let report = try writer.commit(readings: readings, deadLetters: [deadLetter(reason: "payload.json")])
            #expect(report == CommitReport(inserted: 4, deadLetters: 1))
            try writer.close()
        }
        let writer = try BufferWriter(settings: settings, logger: quietLogger)
        try writer.close()

        let reader = try BufferReader(path: settings.path)
        #expect(try exportAll(reader) == readings)
        let status = try reader.status(now: Timestamp(milliseconds: 3_000))
        #expect(status.rows == 4)
        #expect(status.deadLettersByReason == ["payload.json": 1])
        #expect(status.recentDeadLetters.map(\.payloadPrefix) == ["{\"value\": oops}"])
    }

    @Test("a redelivered reading (same sensor, metric and time) is ignored and counted as a duplicate")
    func duplicatesAreIgnored() throws {
        let directory = try TemporaryDirectory()
        let settings = storeSettings(in: directory)
        let writer = try BufferWriter(settings: settings, logger: quietLogger)
        try writer.commit(readings: [reading("fes/water/m1", at: 1_000, 2.5), reading("fes/water/m1", at: 2_000, 2.6)])

        let again = try writer.commit(readings: [
            reading("fes/water/m1", at: 1_000, 9.9),            // redelivered, even with another value
            reading("fes/water/m1", "pressure", at: 1_000, 1),  // another metric at the same time
            reading("fes/water/m2", at: 1_000, 1),              // another sensor at the same time
            reading("fes/water/m2", at: 1_000, 1),              // a duplicate within the batch
        ])
        #expect(again == CommitReport(inserted: 2, duplicates: 2))

        let reader = try BufferReader(path: settings.path)
        let status = try reader.status(now: Timestamp(milliseconds: 3_000))
        #expect(status.counters["readings.duplicate"] == 2)
        #expect(status.rows == 4)
        let m1 = try exportAll(reader).filter { $0.sensor == "fes/water/m1" && $0.metric == "flow" }
        #expect(m1.map(\.value) == [2.5, 2.6])
        try writer.close()
    }

    @Test("in a large batch, redelivered readings are told apart from new ones, whichever group they fall in")
    func duplicatesInLargeBatches() throws {
        let directory = try TemporaryDirectory()
        let settings = storeSettings(in: directory)
        let writer = try BufferWriter(settings: settings, logger: quietLogger)
        let first = batch(sensors: 50, steps: 2, start: 1_000)  // 100 readings
        #expect(try writer.commit(readings: first) == CommitReport(inserted: 100))

        // 20 redelivered from the first batch, spread over the groups, 30 new, and each new one
        // repeated once within the batch: 80 readings, 30 stored.
        let redelivered = stride(from: 0, to: 100, by: 5).map { first[$0] }
        let fresh = batch(sensors: 30, start: 5_000, sensorPrefix: "fes/air/a-")
        var mixed: [Reading] = []
        for (index, reading) in fresh.enumerated() {
            mixed.append(reading)
            if index < redelivered.count { mixed.append(redelivered[index]) }
        }
        mixed += fresh
        #expect(mixed.count == 80)
        #expect(try writer.commit(readings: mixed) == CommitReport(inserted: 30, duplicates: 50))

        // The same key twice within one group: the first is stored, with its value.
        let twice = batch(sensors: 20, start: 7_000, sensorPrefix: "fes/noise/n-")
        let changed = twice.map { reading($0.sensor, at: $0.time.milliseconds, -1) }
        #expect(try writer.commit(readings: twice + changed) == CommitReport(inserted: 20, duplicates: 20))

        let reader = try BufferReader(path: settings.path)
        let status = try reader.status(now: Timestamp(milliseconds: 8_000))
        #expect(status.rows == 150)
        #expect(status.counters["readings.duplicate"] == 70)
        #expect(status.sensors.reduce(0) { $0 + $1.count } == 150)
        let stored = try exportAll(reader)
        #expect(stored.count == 150)
        #expect(stored.filter { $0.sensor.hasPrefix("fes/noise/") } == twice)
        try writer.close()
    }

    @Test("a value that is not a finite number is refused and counted, the rest of the batch is stored")
    func nonFiniteValuesAreRefused() throws {
        let directory = try TemporaryDirectory()
        let settings = storeSettings(in: directory)
        let writer = try BufferWriter(settings: settings, logger: quietLogger)
        let report = try writer.commit(readings: [
            reading("fes/water/m1", at: 1_000, .nan),
            reading("fes/water/m1", at: 2_000, .infinity),
            reading("fes/water/m1", at: 3_000, 1.5),
        ])
        #expect(report == CommitReport(inserted: 1, invalid: 2))
        let status = try BufferReader(path: settings.path).status(now: Timestamp(milliseconds: 0))
        #expect(status.counters["readings.invalid"] == 2)
        #expect(status.rows == 1)
        try writer.close()
    }

    @Test("dead letters beyond the limit are deleted oldest first, and the counts per reason survive")
    func deadLettersAreCapped() throws {
        let directory = try TemporaryDirectory()
        let settings = storeSettings(in: directory, deadLetterLimit: 3)
        let writer = try BufferWriter(settings: settings, logger: quietLogger)
        let first = try writer.commit(readings: [], deadLetters: (1...2).map { deadLetter(reason: "payload.json", at: Int64($0)) })
        #expect(first == CommitReport(deadLetters: 2))
        let second = try writer.commit(readings: [], deadLetters: (3...6).map { deadLetter(reason: $0 % 2 == 0 ? "topic.template" : "payload.json", at: Int64($0)) })
        #expect(second == CommitReport(deadLetters: 4, deadLettersEvicted: 3))

        let status = try BufferReader(path: settings.path).status(now: Timestamp(milliseconds: 10))
        #expect(status.recentDeadLetters.map(\.at.milliseconds) == [6, 5, 4])
        #expect(status.deadLettersByReason == ["payload.json": 4, "topic.template": 2])
        #expect(status.counters["dead_letters.evicted"] == 3)
        try writer.close()
    }

    @Test("a dead letter keeps the first 256 bytes of its payload and the whole size")
    func deadLetterPayloadIsTruncated() throws {
        let directory = try TemporaryDirectory()
        let settings = storeSettings(in: directory)
        let writer = try BufferWriter(settings: settings, logger: quietLogger)
        let payload = Array(repeating: UInt8(ascii: "x"), count: 1_000) + [0xFF]
        try writer.commit(readings: [], deadLetters: [deadLetter(reason: "payload.size", payload: payload)])
        let stored = try writer.queue.read { db in try Data.fetchOne(db, sql: "SELECT payload FROM dead_letter") }
        #expect(stored?.count == 256)
        let summary = try BufferReader(path: settings.path).status(now: Timestamp(milliseconds: 0)).recentDeadLetters
        #expect(summary.first?.size == 1_001)
        #expect(summary.first?.payloadPrefix == String(repeating: "x", count: 256))
        try writer.close()
    }

    @Test("lowering the dead letter limit applies when the writer opens")
    func loweredLimitAppliesOnOpen() throws {
        let directory = try TemporaryDirectory()
        do {
            let writer = try BufferWriter(settings: storeSettings(in: directory, deadLetterLimit: 10), logger: quietLogger)
            try writer.commit(readings: [], deadLetters: (1...8).map { deadLetter(reason: "payload.json", at: Int64($0)) })
            try writer.close()
        }
        try BufferWriter(settings: storeSettings(in: directory, deadLetterLimit: 2), logger: quietLogger).close()
        let status = try BufferReader(path: directory.file("buffer.sqlite")).status(now: Timestamp(milliseconds: 0))
        #expect(status.recentDeadLetters.map(\.at.milliseconds) == [8, 7])
        #expect(status.counters["dead_letters.evicted"] == 6)
        #expect(status.deadLettersByReason == ["payload.json": 8])
    }

    @Test("a batch that fails as a whole stores nothing, and the writer carries on afterwards")
    func failedBatchLeavesNothing() throws {
        let directory = try TemporaryDirectory()
        let settings = storeSettings(in: directory)
        let writer = try BufferWriter(settings: settings, logger: quietLogger)
        try writer.commit(readings: [reading("fes/water/m1", at: 1_000, 1)])
        // Make the next insert into dead_letter fail, after the readings went in.
        try writer.queue.write { db in
            try db.execute(sql: "CREATE TRIGGER refuse BEFORE INSERT ON dead_letter BEGIN SELECT RAISE(ABORT, 'refused'); END")
        }
        #expect(throws: DatabaseError.self) {
            try writer.commit(readings: [reading("fes/water/m9", at: 2_000, 2)], deadLetters: [deadLetter(reason: "x")])
        }
        try writer.queue.write { db in try db.execute(sql: "DROP TRIGGER refuse") }

        // The series created in the failed transaction is gone from disk; the writer must not reuse its id.
        let report = try writer.commit(readings: [reading("fes/water/m9", at: 2_000, 2), reading("fes/water/m1", at: 3_000, 3)])
        #expect(report.inserted == 2)
        try writer.maintain(now: Timestamp(milliseconds: 4_000))
        let status = try BufferReader(path: settings.path).status(now: Timestamp(milliseconds: 4_000))
        #expect(status.sensors.map(\.count) == [2, 1])
        #expect(status.sensors.map(\.sensor) == ["fes/water/m1", "fes/water/m9"])
        #expect(status.deadLettersByReason.isEmpty)
        try writer.close()
    }
}
