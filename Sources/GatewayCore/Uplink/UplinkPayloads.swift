/// The payloads hub servers receive (contract.md, "Uplink"), written as JSON; `schemas/` at the
/// repository root holds a JSON Schema for each.
///
/// Schemas are versioned in the `schema` field; a new field may be added, none removed or renamed.
/// Beyond the contract, an aggregate carries `rev`: 0 when first sent, +1 each time a late reading
/// revised it. Its key (gateway, sensor, metric, start, window_s) is unchanged, so a hub that upserts
/// on the key stays right. An aggregate's `sum` and `mean` are null in the one case a Double cannot
/// hold them: readings near ±1.8e308 whose sum overflows.
public enum UplinkPayloads {
    public static let alertSchema = "streetgate/alert/1"
    public static let aggregatesSchema = "streetgate/aggregates/1"
    public static let statusSchema = "streetgate/status/1"
    public static let healthSchema = "streetgate/health/1"

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
        String(decoding: aggregateBatchBytes(aggregates, gateway: gateway, seq: seq, historical: historical), as: UTF8.self)
    }

    /// The same text as `aggregateBatch`, as the UTF-8 bytes a hub is sent: the uplink's hot path.
    public static func aggregateBatchBytes(_ aggregates: [Aggregate], gateway: String, seq: Int, historical: Bool) -> [UInt8] {
        // About 190 bytes an aggregate: one allocation for a whole batch in the common case.
        var json = JSONWriter(capacity: 256 + aggregates.count * 200)
        json.beginObject()
        json.field(AggregateKey.schema, aggregatesSchema)
        json.field(AggregateKey.gateway, gateway)
        json.field(AggregateKey.seq, seq)
        json.field(AggregateKey.historical, historical)
        json.beginArray(AggregateKey.aggregates)
        // A window closes for every series at once, so neighbours in a batch mostly share a start:
        // its text is formatted once per run of equal starts.
        var start = StartLiteral()
        for aggregate in aggregates {
            json.beginObject()
            json.field(AggregateKey.sensor, aggregate.sensor)
            json.field(AggregateKey.metric, aggregate.metric)
            json.field(AggregateKey.start, literal: start.text(for: aggregate.start))
            json.field(AggregateKey.windowSeconds, aggregate.windowSeconds)
            json.field(AggregateKey.count, aggregate.count)
            json.field(AggregateKey.min, aggregate.min)
            json.field(AggregateKey.max, aggregate.max)
            json.field(AggregateKey.mean, aggregate.mean)
            json.field(AggregateKey.sum, aggregate.sum)
            json.field(AggregateKey.last, aggregate.last)
            json.field(AggregateKey.rev, aggregate.rev)
            json.endObject()
        }
        json.endArray()
        json.endObject()
        return json.bytes
    }

    /// For `<prefix>/status`; the offline form without `at` is the will.
    public static func status(_ status: GatewayStatusInfo) -> String {
        var json = JSONWriter()
        json.beginObject()
        json.field("schema", statusSchema)
        json.field("gateway", status.gateway)
        json.field("state", status.state.rawValue)
        json.field("version", status.version)
        json.field("started", status.started.rfc3339)
        json.field("config_hash", status.configHash.description)
        if let at = status.at {
            json.field("at", at.rfc3339)
        }
        json.endObject()
        return json.text
    }

    /// For `<prefix>/health`. Reasons are written in sorted order, so the text of two reports with
    /// the same figures is the same.
    public static func health(_ report: HealthReport) -> String {
        var json = JSONWriter()
        json.beginObject()
        json.field("schema", healthSchema)
        json.field("gateway", report.gateway)
        json.field("at", report.at.rfc3339)
        json.field("uptime_s", report.uptimeSeconds)
        json.field("readings_in", report.readingsIn)
        json.field("readings_duplicate", report.readingsDuplicate)
        json.beginObject("dead_letters")
        json.field("total", report.deadLetters.values.reduce(0, saturatingSum))
        json.counts("by_reason", report.deadLetters)
        json.endObject()
        json.beginObject("buffer")
        json.field("rows", report.bufferRows)
        json.field("bytes", report.bufferBytes)
        json.time("oldest", report.bufferOldest)
        json.endObject()
        json.beginArray("hubs")
        for hub in report.hubs {
            json.beginObject()
            json.field("name", hub.name)
            json.field("connected", hub.connected)
            json.field("backlog_batches", hub.backlogBatches)
            json.field("backlog_aggregates", hub.backlogAggregates)
            json.time("oldest_backlog", hub.oldestBacklog)
            json.time("last_ack", hub.lastAck)
            json.field("next_seq", hub.nextSeq)
            json.endObject()
        }
        json.endArray()
        json.counts("dropped", report.dropped)
        json.endObject()
        return json.text
    }
}

/// The keys of an aggregate batch, escaped once rather than for each of its 500 aggregates.
private enum AggregateKey {
    static let schema = JSONWriter.Key("schema")
    static let gateway = JSONWriter.Key("gateway")
    static let seq = JSONWriter.Key("seq")
    static let historical = JSONWriter.Key("historical")
    static let aggregates = JSONWriter.Key("aggregates")
    static let sensor = JSONWriter.Key("sensor")
    static let metric = JSONWriter.Key("metric")
    static let start = JSONWriter.Key("start")
    static let windowSeconds = JSONWriter.Key("window_s")
    static let count = JSONWriter.Key("count")
    static let min = JSONWriter.Key("min")
    static let max = JSONWriter.Key("max")
    static let mean = JSONWriter.Key("mean")
    static let sum = JSONWriter.Key("sum")
    static let last = JSONWriter.Key("last")
    static let rev = JSONWriter.Key("rev")
}

/// A window start as a quoted RFC 3339 literal, kept for the next aggregate with the same start.
private struct StartLiteral {
    private var milliseconds: Int64?
    private var literal: [UInt8] = []

    mutating func text(for start: Timestamp) -> [UInt8] {
        if start.milliseconds != milliseconds {
            milliseconds = start.milliseconds
            literal.removeAll(keepingCapacity: true)
            JSONWriter.appendString(start.rfc3339, to: &literal)
        }
        return literal
    }
}

/// A sum that stops at `Int.max` instead of trapping: a report is no reason to stop the daemon.
private func saturatingSum(_ a: Int, _ b: Int) -> Int {
    let (sum, overflow) = a.addingReportingOverflow(b)
    return overflow ? (b < 0 ? .min : .max) : sum
}

extension JSONWriter {
    /// A time in RFC 3339, or null.
    fileprivate mutating func time(_ key: String, _ value: Timestamp?) {
        if let value {
            field(key, value.rfc3339)
        } else {
            nullField(key)
        }
    }

    /// An object of counts with its keys sorted.
    fileprivate mutating func counts(_ key: String, _ counts: [String: Int]) {
        beginObject(key)
        for (name, count) in counts.sorted(by: { $0.key < $1.key }) {
            field(name, count)
        }
        endObject()
    }
}
