import Foundation
import GRDB
import GatewayCore
import TestSupport
import Testing
@testable import GatewayStore

@Suite("Reading the buffer")
struct ReaderTests {
    @Test("a reader on a missing file says there is no buffer database there")
    func missingFile() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("buffer.sqlite")
        let error = #expect(throws: StoreError.databaseMissing(path: path)) {
            try BufferReader(path: path)
        }
        #expect(error?.description == "no buffer database at \(path): has the gateway run with this data_dir?")
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test("a reader on an SQLite file that is not a buffer says so")
    func notABuffer() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("other.sqlite")
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in try db.execute(sql: "CREATE TABLE something (id INTEGER PRIMARY KEY)") }
        try queue.close()
        #expect(throws: StoreError.notABuffer(path: path)) {
            try BufferReader(path: path)
        }
    }

    @Test("status and export work while the writer is open and inserting")
    func readsWhileWriting() async throws {
        let directory = try TemporaryDirectory()
        let settings = storeSettings(in: directory)
        let writer = try BufferWriter(settings: settings, logger: quietLogger)
        try writer.commit(readings: batch(sensors: 100, start: 0))
        let reader = try BufferReader(path: settings.path)

        let batches = 200
        let writing = Task.detached {
            for step in 1...batches {
                try writer.commit(readings: batch(sensors: 100, start: Int64(step)))
                if step % 50 == 0 { try writer.maintain(now: Timestamp(milliseconds: Int64(step))) }
            }
        }
        var seen: [Int64] = []
        for _ in 0..<20 {
            let status = try reader.status(now: Timestamp(milliseconds: 0))
            // Each status is one snapshot: whole batches only, and figures that agree.
            #expect(status.rows % 100 == 0)
            #expect(status.sensors.reduce(0) { $0 + $1.count } == status.rows)
            seen.append(status.rows)
            var exported = 0
            try reader.export(since: Timestamp(milliseconds: 0)) { _ in exported += 1 }
            #expect(exported % 100 == 0)
            await Task.yield()
        }
        try await writing.value
        #expect(seen == seen.sorted())
        #expect(try reader.status(now: Timestamp(milliseconds: 0)).rows == Int64(100 * (batches + 1)))
        try writer.close()
    }

    @Test("a reader works after the writer closed, and keeps working when it reopens")
    func readsAfterClose() throws {
        let directory = try TemporaryDirectory()
        let settings = storeSettings(in: directory)
        let writer = try BufferWriter(settings: settings, logger: quietLogger)
        try writer.commit(readings: [reading("fes/water/m1", at: 1_000, 1)])
        try writer.close()
        let reader = try BufferReader(path: settings.path)
        #expect(try reader.status(now: Timestamp(milliseconds: 0)).rows == 1)

        let reopened = try BufferWriter(settings: settings, logger: quietLogger)
        try reopened.commit(readings: [reading("fes/water/m1", at: 2_000, 2)])
        #expect(try reader.status(now: Timestamp(milliseconds: 0)).rows == 2)
        try reopened.close()
    }

    @Test("export streams readings in time order, filtered by sensor, from since up to until")
    func exportOrderAndFilters() throws {
        let directory = try TemporaryDirectory()
        let settings = storeSettings(in: directory)
        let writer = try BufferWriter(settings: settings, logger: quietLogger)
        // Committed out of time order, in several groups.
        try writer.commit(readings: [
            reading("fes/water/m1", at: 3_000, 3),
            reading("fes/air/a1", "pm10", at: 1_000, 10),
            reading("fes/water/m2", at: 2_000, 20),
        ])
        try writer.commit(readings: [
            reading("fes/water/m1", at: 1_000, 1),
            reading("fes/water/m2", at: 4_000, 40),
            reading("fes/water/m1", at: 2_000, 2),
        ])
        try writer.close()
        let reader = try BufferReader(path: settings.path)

        let all = try exportAll(reader)
        #expect(all.map(\.time.milliseconds) == [1_000, 1_000, 2_000, 2_000, 3_000, 4_000])
        #expect(all.map(\.value) == [1, 10, 2, 20, 3, 40])  // equal times: series in the order first seen

        var water: [Reading] = []
        try reader.export(since: Timestamp(milliseconds: 2_000), until: Timestamp(milliseconds: 4_000), sensors: { $0.hasPrefix("fes/water/") }) {
            water.append($0)
        }
        #expect(water == [
            reading("fes/water/m1", at: 2_000, 2),
            reading("fes/water/m2", at: 2_000, 20),
            reading("fes/water/m1", at: 3_000, 3),
        ])

        var none = 0
        try reader.export(since: Timestamp(milliseconds: 0), sensors: { _ in false }) { _ in none += 1 }
        #expect(none == 0)
    }

    @Test("export stops as soon as the consumer throws, without reading the rest")
    func exportStopsOnError() throws {
        struct Enough: Error {}
        let directory = try TemporaryDirectory()
        let settings = storeSettings(in: directory)
        let writer = try BufferWriter(settings: settings, logger: quietLogger)
        try writer.commit(readings: batch(sensors: 100, steps: 10, start: 0))
        try writer.close()
        let reader = try BufferReader(path: settings.path)
        var received = 0
        #expect(throws: Enough.self) {
            try reader.export(since: Timestamp(milliseconds: 0)) { _ in
                received += 1
                if received == 5 { throw Enough() }
            }
        }
        #expect(received == 5)
    }

    @Test("status reports rows, times, size, dead letters and every counter, and round-trips through JSON")
    func statusContents() throws {
        let directory = try TemporaryDirectory()
        let settings = storeSettings(in: directory)
        let writer = try BufferWriter(settings: settings, logger: quietLogger)
        try writer.commit(
            readings: [reading("fes/water/m1", at: 1_000, 1), reading("fes/water/m1", at: 9_000, 9)],
            deadLetters: (1...7).map { deadLetter(reason: "payload.json", at: Int64($0), payload: [0x7B, 0xFF, 0x7D]) }
        )
        let reader = try BufferReader(path: settings.path)
        let status = try reader.status(now: Timestamp(milliseconds: 10_000))
        #expect(status.at == Timestamp(milliseconds: 10_000))
        #expect(status.rows == 2)
        #expect(status.oldestReading == Timestamp(milliseconds: 1_000))
        #expect(status.newestReading == Timestamp(milliseconds: 9_000))
        #expect(status.bytes == diskBytes(settings))
        #expect(status.bytes > 0)
        #expect(Set(status.counters.keys) == Set(BufferCounter.allCases.map(\.rawValue)))
        #expect(status.recentDeadLetters.count == 5)
        #expect(status.recentDeadLetters.first?.payloadPrefix == "{\u{FFFD}}")
        #expect(status.recentDeadLetters.first?.topic == "city/fes/water/m1/flow")
        let decoded = try JSONDecoder().decode(BufferStatus.self, from: JSONEncoder().encode(status))
        #expect(decoded == status)
        try writer.close()

        let emptyDirectory = try TemporaryDirectory()
        try BufferWriter(settings: storeSettings(in: emptyDirectory), logger: quietLogger).close()
        let empty = try BufferReader(path: emptyDirectory.file("buffer.sqlite")).status(now: Timestamp(milliseconds: 0))
        #expect(empty.rows == 0)
        #expect(empty.oldestReading == nil)
        #expect(empty.sensors.isEmpty)
    }
}
