// Contract: a hub's batch hands its encoder the aggregates exactly as committed (every field,
// text and extreme numbers included), in emission order, `max_batch` at a time, live and backlog
// alike; reading them again and again on the same cached statements moves on without skipping or
// repeating a row.
import GatewayCore
import TestSupport
import Testing
@testable import GatewayStore

@Suite("Aggregates read for a hub's batches")
struct HubBatchRowsTests {
    let directory: TemporaryDirectory

    init() throws {
        directory = try TemporaryDirectory()
    }

    /// Distinct values in every column, names with quotes and non-ASCII text, extreme doubles.
    static func varied(_ count: Int, from start: Int64) -> [Aggregate] {
        let values: [Double] = [1.5, -0.25, 1e300, -1.7976931348623157e308, .leastNonzeroMagnitude, 42, 0.1]
        return (0..<count).map { index in
            let value = values[index % values.count]
            return Aggregate(
                sensor: "fès/水/meter \"\(index)\"", metric: index.isMultiple(of: 2) ? "flow" : "a-long-metric-name-\(index)",
                start: Timestamp(milliseconds: start + Int64(index / 3) * 60_000), windowSeconds: 60 + index,
                count: index + 1, min: value, max: value + 1, sum: value * 2, last: -value,
                lastTime: Timestamp(milliseconds: start + Int64(index) * 1_000 + 7), rev: index % 4
            )
        }
    }

    func readBatches(_ writer: BufferWriter, from source: BatchSource, limit: Int) throws -> [[Aggregate]] {
        var batches: [[Aggregate]] = []
        while true {
            var seen: [Aggregate] = []
            let message = try writer.buildAggregateBatch(hub: "city", from: source, limit: limit, now: Timestamp(milliseconds: 0)) {
                aggregates, _, _ in
                seen = aggregates
                return []
            }
            guard let message else { return batches }
            #expect(message.items == seen.count)
            #expect(message.oldest == seen.map(\.start).min())
            batches.append(seen)
        }
    }

    @Test("backlog batches carry every stored field, in order, max_batch at a time")
    func backlogRows() throws {
        let writer = try BufferWriter(settings: storeSettings(in: directory), logger: quietLogger)
        try writer.registerHubs(["city"])
        let stored = Self.varied(23, from: 1_764_165_540_000)
        try writer.commit(derived: DerivedRecords(alerts: [], aggregates: stored))
        try writer.hubConnected("city", at: Timestamp(milliseconds: 1))
        let batches = try readBatches(writer, from: .backlog, limit: 5)
        #expect(batches.map(\.count) == [5, 5, 5, 5, 3])
        #expect(Array(batches.joined()) == stored)
        try writer.close()
    }

    @Test("live batches carry every stored field, in order, and stop at the newest row")
    func liveRows() throws {
        let writer = try BufferWriter(settings: storeSettings(in: directory), logger: quietLogger)
        try writer.registerHubs(["city"])
        try writer.hubConnected("city", at: Timestamp(milliseconds: 1))
        let first = Self.varied(7, from: 60_000)
        try writer.commit(derived: DerivedRecords(alerts: [], aggregates: first))
        #expect(try readBatches(writer, from: .live, limit: 4) == [Array(first[0..<4]), Array(first[4...])])
        let second = Self.varied(2, from: 600_000)
        try writer.commit(derived: DerivedRecords(alerts: [], aggregates: second))
        #expect(try readBatches(writer, from: .live, limit: 4) == [second])
        try writer.close()
    }
}
