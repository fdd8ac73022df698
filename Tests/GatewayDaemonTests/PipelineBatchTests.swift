// Contract checked here: a batch too large for the WAL's share of max_size is stored in several
// transactions, so the buffer's files stay within max_size, and a batch cut short and delivered
// again stores nothing twice.
import Foundation
import GatewayCore
import GatewayStore
import TestSupport
import Testing
@testable import GatewayDaemon

@Suite("Pipeline: batches larger than one transaction")
struct PipelineBatchTests {
    /// `count` readings of 1,000 sensors, one a second each, starting `second` seconds in.
    static func readings(_ buffer: PipelineBuffer, count: Int, fromSecond second: Int64) -> [Reading] {
        (0..<count).map { index in
            Reading(
                sensor: "fes/water/meter-\(index % 1_000)", metric: "flow",
                time: Timestamp(milliseconds: PipelineRestartTests.start + (second + Int64(index / 1_000)) * 1_000),
                value: Double(index % 97)
            )
        }
    }

    static func filesSize(_ path: String) -> Int64 {
        fileSize(path) + fileSize(path + "-wal")
    }

    @Test("300,000 readings in one batch on a full 16 MiB buffer: all stored or evicted and counted, the files within max_size")
    func bigBatchStaysWithinMaxSize() throws {
        let buffer = try PipelineBuffer(rules: "", buffer: "[buffer]\nmax_size = \"16MiB\"")
        let pipeline = try buffer.pipeline()
        let path = buffer.writer.settings.path
        var second: Int64 = 0
        var largest: Int64 = 0
        var stored = 0
        var evicted = 0
        // Fill the buffer to its first eviction, then send two big batches.
        while evicted == 0 {
            let report = try pipeline.store(readings: Self.readings(buffer, count: 10_000, fromSecond: second), deadLetters: [])
            stored += report.inserted
            evicted += report.readingsEvicted
            second += 10
            largest = max(largest, Self.filesSize(path))
            try #require(second < 2_000, "no eviction after 2 million readings")
        }
        for _ in 0..<2 {
            let report = try pipeline.store(readings: Self.readings(buffer, count: 300_000, fromSecond: second), deadLetters: [])
            #expect(report.inserted == 300_000)
            stored += report.inserted
            evicted += report.readingsEvicted
            second += 300
            largest = max(largest, Self.filesSize(path))
        }
        #expect(largest <= 16 << 20, "the files reached \(largest) bytes")
        let maintained = try buffer.writer.maintain(now: buffer.clock.now())
        let kept = try BufferReader(path: path).status(now: buffer.clock.now()).rows
        #expect(Int(kept) + evicted + maintained.evicted == stored)

        // The last batch again, as a broker redelivers it after a crash: nothing stored twice.
        let again = try pipeline.store(readings: Self.readings(buffer, count: 300_000, fromSecond: second - 300), deadLetters: [])
        #expect(again.inserted == 0)
        #expect(again.duplicates == 300_000)
    }
}
