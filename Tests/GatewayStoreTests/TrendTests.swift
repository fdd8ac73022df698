// Contract checked here: the trend `status` draws is, per series and bucket, the mean of the
// readings behind the latest revision of each window (sum over count); buckets without data are
// nil; raw readings are read only when the span holds no aggregate at all.
import GatewayCore
import TestSupport
import Testing
@testable import GatewayStore

@Suite("Trends for status")
struct TrendTests {
    let start: Int64 = 1_764_115_200_000  // a multiple of five minutes
    let bucket: Int64 = 300_000

    @Test("each bucket's mean weighs every reading alike, from the latest revision of each window")
    func meansFromLatestRevisions() throws {
        let directory = try TemporaryDirectory()
        let writer = try BufferWriter(settings: storeSettings(in: directory), logger: quietLogger)
        try writer.commit(derived: DerivedRecords(aggregates: [
            // Bucket 0: two windows, 3 readings summing to 6 and 1 reading of 10: mean 16 / 4.
            aggregate("fes/water/m1", start: start, count: 3, sum: 6),
            aggregate("fes/water/m1", start: start + 60_000, count: 1, sum: 10),
            // Bucket 2: a window revised by a late reading; only revision 1 counts.
            aggregate("fes/water/m1", start: start + 2 * bucket, rev: 0, count: 2, sum: 4),
            aggregate("fes/water/m1", start: start + 2 * bucket, rev: 1, count: 3, sum: 9),
            aggregate("fes/water/m2", start: start + bucket, count: 4, sum: 2),
        ]))
        let trends = try BufferReader(path: writer.settings.path).trends(
            start: Timestamp(milliseconds: start), bucketMilliseconds: bucket, buckets: 4
        )
        #expect(trends.source == .aggregates)
        #expect(trends.means(sensor: "fes/water/m1", metric: "flow") == [4, nil, 3, nil])
        #expect(trends.means(sensor: "fes/water/m2", metric: "flow") == [nil, 0.5, nil, nil])
        #expect(trends.means(sensor: "fes/water/m3", metric: "flow") == nil)
    }

    @Test("windows starting outside the span are left out")
    func spanBounds() throws {
        let directory = try TemporaryDirectory()
        let writer = try BufferWriter(settings: storeSettings(in: directory), logger: quietLogger)
        try writer.commit(derived: DerivedRecords(aggregates: [
            aggregate(start: start - 60_000, count: 1, sum: 100),
            aggregate(start: start, count: 1, sum: 1),
            aggregate(start: start + 2 * bucket - 60_000, count: 1, sum: 2),
            aggregate(start: start + 2 * bucket, count: 1, sum: 100),
        ]))
        let trends = try BufferReader(path: writer.settings.path).trends(
            start: Timestamp(milliseconds: start), bucketMilliseconds: bucket, buckets: 2
        )
        #expect(trends.means(sensor: "fes/water/m1", metric: "flow") == [1, 2])
    }

    @Test("with no aggregate in the span, the means come from raw readings")
    func fallsBackToReadings() throws {
        let directory = try TemporaryDirectory()
        let writer = try BufferWriter(settings: storeSettings(in: directory), logger: quietLogger)
        try writer.commit(readings: [
            reading("fes/air/aq-1", "pm25", at: start + 1_000, 10),
            reading("fes/air/aq-1", "pm25", at: start + 2_000, 20),
            reading("fes/air/aq-1", "pm25", at: start + 2 * bucket + 5, 7),
            reading("fes/air/aq-1", "pm25", at: start - 1, 1_000),
        ])
        // An aggregate before the span does not count as one in it.
        try writer.commit(derived: DerivedRecords(aggregates: [aggregate(start: start - bucket, count: 1, sum: 1)]))
        let trends = try BufferReader(path: writer.settings.path).trends(
            start: Timestamp(milliseconds: start), bucketMilliseconds: bucket, buckets: 3
        )
        #expect(trends.source == .readings)
        #expect(trends.means(sensor: "fes/air/aq-1", metric: "pm25") == [15, nil, 7])
    }

    @Test("an empty span says so")
    func emptySpan() throws {
        let directory = try TemporaryDirectory()
        let writer = try BufferWriter(settings: storeSettings(in: directory), logger: quietLogger)
        try writer.commit(readings: [reading("fes/air/aq-1", "pm25", at: start - 10, 1)])
        let trends = try BufferReader(path: writer.settings.path).trends(
            start: Timestamp(milliseconds: start), bucketMilliseconds: bucket, buckets: 12
        )
        #expect(trends.source == .none)
        #expect(trends.means.isEmpty)
        #expect(trends.buckets == 12)
    }
}
