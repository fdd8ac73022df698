import Foundation
import GatewayCore
import TestSupport
import Synchronization
import Testing
@testable import GatewayStore

@Suite("Loading series at start")
struct SeriesLoadingTests {
    @Test("series names are found by id, with gaps in the ids or without")
    func namesByID() {
        let keys = (0..<5).map { SeriesCache.Key(sensor: "s\($0)", metric: "m") }
        let dense = SeriesNames(ids: [7, 8, 9, 10, 11], keys: keys)
        #expect((7...11).map { dense[$0]?.sensor } == ["s0", "s1", "s2", "s3", "s4"])
        #expect(dense[6] == nil && dense[12] == nil && dense[.min] == nil && dense[.max] == nil)

        let gaps = SeriesNames(ids: [1, 4, 5, 9, 20], keys: keys)
        #expect([1, 4, 5, 9, 20].map { gaps[$0]?.sensor } == ["s0", "s1", "s2", "s3", "s4"])
        #expect([0, 2, 3, 6, 19, 21].allSatisfy { gaps[$0] == nil })

        #expect(SeriesNames(ids: [], keys: [])[1] == nil)
    }

    @Test("the writer's series come back by id after reopening, as stored")
    func namesAfterReopening() throws {
        let directory = try TemporaryDirectory("series-loading")
        var writer = try BufferWriter(settings: storeSettings(in: directory), logger: quietLogger)
        try writer.commit(readings: batch(sensors: 3, start: 1_000))
        try writer.close()
        writer = try BufferWriter(settings: storeSettings(in: directory), logger: quietLogger)
        try writer.commit(readings: [reading("fes/water/meter-0", "pressure", at: 2_000, 1)])
        let names = writer.state.withLock { $0.series.names() }
        #expect((1...4).map { names[$0]?.sensor } == ["fes/water/meter-0", "fes/water/meter-1", "fes/water/meter-2", "fes/water/meter-0"])
        #expect(names[4]?.metric == "pressure")
        try writer.close()
    }

    @Test("the latest reading time after an arrival number: of all readings, of those after it, or none")
    func latestReadingTime() throws {
        let directory = try TemporaryDirectory("series-loading")
        let writer = try BufferWriter(settings: storeSettings(in: directory), logger: quietLogger)
        #expect(try writer.latestReadingTime(afterArrival: 0) == nil)
        try writer.commit(readings: [reading("a", at: 5_000, 1), reading("b", at: 9_000, 1), reading("a", at: 7_000, 1)])
        try writer.commit(readings: [reading("c", at: 3_000, 1), reading("c", at: 4_000, 1)])
        #expect(try writer.latestReadingTime(afterArrival: 0) == Timestamp(milliseconds: 9_000))
        #expect(try writer.latestReadingTime(afterArrival: 2) == Timestamp(milliseconds: 7_000))
        #expect(try writer.latestReadingTime(afterArrival: 3) == Timestamp(milliseconds: 4_000))
        #expect(try writer.latestReadingTime(afterArrival: 5) == nil)
        try writer.close()
    }
}
