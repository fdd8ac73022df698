/// The payloads hub servers receive (contract.md, "Uplink"), written as JSON.
///
/// Schemas are versioned in the `schema` field; a new field may be added, none removed or renamed.
/// Beyond the contract, an aggregate carries `rev`: 0 when first sent, +1 each time a late reading
/// revised it. Its key (gateway, sensor, metric, start, window_s) is unchanged, so a hub that upserts
/// on the key stays right.
public enum UplinkPayloads {
    public static let alertSchema = "streetgate/alert/1"
    public static let aggregatesSchema = "streetgate/aggregates/1"

    public static func alert(_ event: AlertEvent, gateway: String) -> String {
        var json = JSONWriter()
        json.beginObject()
        json.field("schema", alertSchema)
        json.field("gateway", gateway)
        json.field("id", event.id)
        json.field("rule", event.rule)
        json.field("sensor", event.sensor)
        json.field("metric", event.metric)
        json.field("severity", event.severity.rawValue)
        json.field("state", event.state.rawValue)
        json.field("at", event.at.rfc3339)
        json.field("value", event.value)
        json.field("threshold", event.threshold)
        json.endObject()
        return json.text
    }

    public static func aggregateBatch(_ aggregates: [Aggregate], gateway: String, seq: Int, historical: Bool) -> String {
        var json = JSONWriter()
        json.beginObject()
        json.field("schema", aggregatesSchema)
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
}
