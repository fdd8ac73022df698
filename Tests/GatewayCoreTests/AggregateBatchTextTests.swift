// Contract: a batch of aggregates is written with the keys of contract.md in a fixed order; the
// batch writer's shortcuts (keys escaped once, a window start formatted once for a run of equal
// starts, bytes without a String in between) give the same text as writing every field by name.
import GatewayCore
import Testing

@Suite("Aggregate batch text")
struct AggregateBatchTextTests {
    /// Every field by name through the writer's general path: what a batch has always looked like.
    static func referenceBatch(_ aggregates: [Aggregate], gateway: String, seq: Int, historical: Bool) -> String {
        var json = JSONWriter()
        json.beginObject()
        json.field("schema", UplinkPayloads.aggregatesSchema)
        json.field("gateway", gateway)
        json.field("seq", seq)
        json.field("historical", historical)
        json.beginArray("aggregates")
        for aggregate in aggregates {
            json.beginObject()
            json.field("sensor", aggregate.sensor)
            json.field("metric", aggregate.metric)
            json.field("start", aggregate.start.rfc3339)
            json.field("window_s", aggregate.windowSeconds)
            json.field("count", aggregate.count)
            json.field("min", aggregate.min)
            json.field("max", aggregate.max)
            json.field("mean", aggregate.mean)
            json.field("sum", aggregate.sum)
            json.field("last", aggregate.last)
            json.field("rev", aggregate.rev)
            json.endObject()
        }
        json.endArray()
        json.endObject()
        return json.text
    }

    /// Runs of equal starts, a start that comes back after another, awkward names and numbers.
    static func sampleBatch() -> [Aggregate] {
        let starts: [Int64] = [1_764_165_540_000, 1_764_165_540_000, 1_764_165_600_000, 1_764_165_540_000, -62_135_596_800_001, 0]
        let sensors = ["fes/water/meter-0042", "fes/light/pole \"7\"", "fès/水/m\\1", "tab\tsensor"]
        let values: [Double] = [1.2, -0.0, 1e300, 2.1, -7, 0.1, .infinity, 1e15]
        var aggregates: [Aggregate] = []
        for (index, start) in starts.enumerated() {
            for (offset, sensor) in sensors.enumerated() {
                let value = values[(index + offset) % values.count]
                aggregates.append(Aggregate(
                    sensor: sensor, metric: offset.isMultiple(of: 2) ? "flow" : "level", start: Timestamp(milliseconds: start),
                    windowSeconds: 60 * (offset + 1), count: index + offset + 1, min: value, max: value * 2,
                    sum: value * 3, last: value, lastTime: Timestamp(milliseconds: start + 59_000), rev: index
                ))
            }
        }
        return aggregates
    }

    @Test("the batch writer's text equals every field written by name", arguments: [true, false])
    func sameAsByName(historical: Bool) {
        let aggregates = Self.sampleBatch()
        let reference = Self.referenceBatch(aggregates, gateway: "fes-medina-01", seq: 1042, historical: historical)
        let bytes = UplinkPayloads.aggregateBatchBytes(aggregates, gateway: "fes-medina-01", seq: 1042, historical: historical)
        #expect(bytes == Array(reference.utf8))
        #expect(UplinkPayloads.aggregateBatch(aggregates, gateway: "fes-medina-01", seq: 1042, historical: historical) == reference)
    }

    @Test("an empty batch keeps its envelope")
    func emptyBatch() {
        #expect(UplinkPayloads.aggregateBatch([], gateway: "g", seq: 1, historical: true) == """
            {"schema":"streetgate/aggregates/1","gateway":"g","seq":1,"historical":true,"aggregates":[]}
            """)
    }
}
