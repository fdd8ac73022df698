// Contract: every payload the uplink builders write validates against its schema in `schemas/`,
// the examples of the public interface (contract.md, "Uplink") validate too, and payloads that
// break it (a missing or zero seq, a wrong schema id, a time in another format, an unknown state)
// are rejected with the path and keyword at fault.
import Foundation
import GatewayCore
import Testing
import TestSupport

@Suite("Uplink payloads against their schemas")
struct UplinkSchemaTests {
    @Test("each schema file is a draft 2020-12 schema the validator takes in full", arguments: UplinkSchema.allCases)
    func schemaFiles(_ schema: UplinkSchema) throws {
        _ = try schema.validator()
        guard case .object(let document) = try schema.document() else {
            Issue.record("\(schema.url.path) does not hold an object")
            return
        }
        #expect(document["$schema"] == .string("https://json-schema.org/draft/2020-12/schema"))
        #expect(document["$id"] == .string("https://streetgate.example/schemas/\(schema.rawValue).schema.json"))
        #expect(document["title"]?.typeName == "string")
        #expect(document["description"]?.typeName == "string")
        guard case .object(let properties) = document["properties"], case .object(let schemaField) = properties["schema"]
        else {
            Issue.record("no properties.schema in \(schema.rawValue)")
            return
        }
        #expect(schemaField["const"] == .string(schema.schemaID))
        guard case .array(let required) = document["required"] else {
            Issue.record("no required in \(schema.rawValue)")
            return
        }
        #expect(required.contains(.string("schema")))
        #expect(required.contains(.string("gateway")))
    }

    @Test("every property in every schema says what it is", arguments: UplinkSchema.allCases)
    func everyPropertyDescribed(_ schema: UplinkSchema) throws {
        let document = try schema.document()
        guard case .object(let root) = document, case .object(let definitions) = root["$defs"] ?? .object([:]) else {
            Issue.record("unexpected document")
            return
        }
        var undescribed: [String] = []
        func visit(_ node: JSONInstance, at path: String) {
            guard case .object(let members) = node else { return }
            if case .object(let properties) = members["properties"] {
                for (name, property) in properties {
                    if !isDescribed(property) { undescribed.append(JSONPointer.appending(name, to: path + "/properties")) }
                }
            }
            for (key, value) in members {
                switch value {
                case .object(let children) where key == "properties" || key == "$defs":
                    for (name, child) in children { visit(child, at: JSONPointer.appending(name, to: path + "/" + key)) }
                case .object: visit(value, at: path + "/" + key)
                default: break
                }
            }
        }
        func isDescribed(_ property: JSONInstance) -> Bool {
            guard case .object(let members) = property else { return false }
            if members["description"] != nil { return true }
            guard case .string(let reference) = members["$ref"] else { return false }
            let name = String(reference.dropFirst("#/$defs/".count))
            guard case .object(let definition) = definitions[name] else { return false }
            return definition["description"] != nil
        }
        visit(document, at: "")
        #expect(undescribed.isEmpty, "\(schema.rawValue): \(undescribed)")
    }

    @Test("aggregate batches the builder writes validate")
    func aggregateBatches() throws {
        for (what, payload) in try UplinkSamples.batches() {
            try UplinkSchema.aggregates.expectValid(payload, what)
        }
    }

    @Test("alert events the builder writes validate, value and threshold null included")
    func alertEvents() throws {
        for (what, payload) in try UplinkSamples.alerts() {
            try UplinkSchema.alert.expectValid(payload, what)
        }
    }

    @Test("status payloads the builder writes validate, the will without at included")
    func statuses() throws {
        for (what, payload) in try UplinkSamples.statuses() {
            try UplinkSchema.status.expectValid(payload, what)
        }
    }

    @Test("health reports the builder writes validate, with no hubs, nothing dropped and null times")
    func healthReports() throws {
        for (what, payload) in try UplinkSamples.healthReports() {
            try UplinkSchema.health.expectValid(payload, what)
        }
    }

    @Test("a payload of one kind does not pass for another")
    func kindsDoNotMix() throws {
        let samples: [(UplinkSchema, String)] = [
            (.aggregates, try UplinkSamples.batches()[0].payload),
            (.alert, try UplinkSamples.alerts()[0].payload),
            (.status, try UplinkSamples.statuses()[0].payload),
            (.health, try UplinkSamples.healthReports()[0].payload),
        ]
        for (schema, _) in samples {
            for (other, payload) in samples where other != schema {
                let keywords = try schema.violations(payload).map(\.keyword)
                #expect(keywords.contains("const"), "\(other) payload against \(schema): \(keywords)")
                #expect(keywords.contains("required"), "\(other) payload against \(schema): \(keywords)")
            }
        }
    }

    // MARK: - The public interface's examples

    /// Copied from contract.md, "Uplink", as written there.
    static let contractAggregates = """
        {"schema": "streetgate/aggregates/1", "gateway": "fes-medina-01", "seq": 1042, "historical": false,
         "aggregates": [
           {"sensor": "fes/water/meter-0042", "metric": "flow", "start": "2026-11-26T13:59:00.000Z",
            "window_s": 60, "count": 12, "min": 1.2, "max": 3.4, "mean": 2.1, "sum": 25.2, "last": 2.0}]}
        """

    static let contractAlert = """
        {"schema": "streetgate/alert/1", "gateway": "fes-medina-01", "id": "night-leak/fes/water/meter-0042/1764118800000",
         "rule": "night-leak", "sensor": "fes/water/meter-0042", "metric": "flow", "severity": "major",
         "state": "raised", "at": "2026-11-26T01:15:00.000Z", "value": 2.7, "threshold": 2.0}
        """

    /// The status shape the interface sketches, filled in.
    static let contractStatus = """
        {"schema":"streetgate/status/1","gateway":"fes-medina-01","state":"online","version":"0.1.0",\
        "started":"2026-11-26T13:59:00.000Z","config_hash":"fnv1a64:0123456789abcdef","at":"2026-11-26T13:59:01.250Z"}
        """

    @Test("the interface's examples validate")
    func contractExamples() throws {
        try UplinkSchema.aggregates.expectValid(Self.contractAggregates)
        try UplinkSchema.alert.expectValid(Self.contractAlert)
        try UplinkSchema.status.expectValid(Self.contractStatus)
    }

    @Test("the builders write the interface's examples field for field, and an aggregate's rev besides")
    func buildersMatchContract() throws {
        let batch = UplinkPayloads.aggregateBatch(
            [try UplinkSamples.contractAggregate()], gateway: UplinkSamples.gateway, seq: 1042, historical: false)
        let withRev = Self.contractAggregates.replacingOccurrences(of: #""last": 2.0}"#, with: #""last": 2.0, "rev": 0}"#)
        #expect(withRev != Self.contractAggregates)
        #expect(try JSONInstance(parsing: batch) == JSONInstance(parsing: withRev))
        let alert = UplinkPayloads.alert(try UplinkSamples.contractAlert(), gateway: UplinkSamples.gateway)
        #expect(try JSONInstance(parsing: alert) == JSONInstance(parsing: Self.contractAlert))
        #expect(UplinkPayloads.status(try UplinkSamples.onlineStatus()) == Self.contractStatus)
    }

    // MARK: - Broken payloads

    /// A valid payload with one change, and the violation it must cause.
    struct Breakage: Sendable, CustomTestStringConvertible {
        var schema: UplinkSchema
        var what: String
        var replace: String
        var with: String
        var path: String
        var keyword: String

        init(
            _ schema: UplinkSchema, _ what: String, _ replace: String, _ with: String, _ path: String, _ keyword: String
        ) {
            self.schema = schema
            self.what = what
            self.replace = replace
            self.with = with
            self.path = path
            self.keyword = keyword
        }

        var testDescription: String { "\(schema.rawValue): \(what)" }
    }

    /// Schema, what breaks, the text replaced in the valid sample and its replacement, then the
    /// instance path and the keyword that must fail.

    static let breakages: [Breakage] = [
        Breakage(.aggregates, "no seq", #""seq":1042,"#, "", "", "required"),
        Breakage(.aggregates, "seq 0", #""seq":1042"#, #""seq":0"#, "/seq", "minimum"),
        Breakage(.aggregates, "seq -1", #""seq":1042"#, #""seq":-1"#, "/seq", "minimum"),
        Breakage(.aggregates, "seq 1042.0", #""seq":1042"#, #""seq":1042.0"#, "/seq", "type"),
        Breakage(.aggregates, "seq as text", #""seq":1042"#, #""seq":"1042""#, "/seq", "type"),
        Breakage(.aggregates, "schema id of version 2", "aggregates/1", "aggregates/2", "/schema", "const"),
        Breakage(.aggregates, "no schema id", #""schema":"streetgate/aggregates/1","#, "", "", "required"),
        Breakage(.aggregates, "a time without milliseconds", "13:59:00.000Z", "13:59:00Z", "/aggregates/0/start", "pattern"),
        Breakage(.aggregates, "a time with an offset", "13:59:00.000Z", "13:59:00.000+00:00", "/aggregates/0/start", "pattern"),
        Breakage(.aggregates, "a time with a space", "2026-11-26T13", "2026-11-26 13", "/aggregates/0/start", "pattern"),
        Breakage(.aggregates, "a time in microseconds", "13:59:00.000Z", "13:59:00.000000Z", "/aggregates/0/start", "pattern"),
        Breakage(.aggregates, "a lowercase z", "13:59:00.000Z", "13:59:00.000z", "/aggregates/0/start", "pattern"),
        Breakage(.aggregates, "an epoch number for a time", #""2026-11-26T13:59:00.000Z""#, "1795701540000", "/aggregates/0/start", "type"),
        Breakage(.aggregates, "window_s 0", #""window_s":60"#, #""window_s":0"#, "/aggregates/0/window_s", "minimum"),
        Breakage(.aggregates, "a window over a day", #""window_s":60"#, #""window_s":86401"#, "/aggregates/0/window_s", "maximum"),
        Breakage(.aggregates, "count 0", #""count":12"#, #""count":0"#, "/aggregates/0/count", "minimum"),
        Breakage(.aggregates, "rev -1", #""rev":0"#, #""rev":-1"#, "/aggregates/0/rev", "minimum"),
        Breakage(.aggregates, "min null", #""min":1.2"#, #""min":null"#, "/aggregates/0/min", "type"),
        Breakage(.aggregates, "no sensor", #""sensor":"fes/water/meter-0042","#, "", "/aggregates/0", "required"),
        Breakage(.aggregates, "historical as text", #""historical":false"#, #""historical":"false""#, "/historical", "type"),
        Breakage(.aggregates, "a gateway id with a space", "fes-medina-01", "fes medina 01", "/gateway", "pattern"),
        Breakage(.aggregates, "an empty gateway id", "fes-medina-01", "", "/gateway", "pattern"),
        Breakage(.aggregates, "a 65-character gateway id", "fes-medina-01", String(repeating: "x", count: 65), "/gateway", "pattern"),
        Breakage(.alert, "state open", #""state":"raised""#, #""state":"open""#, "/state", "enum"),
        Breakage(.alert, "state Raised", #""state":"raised""#, #""state":"Raised""#, "/state", "enum"),
        Breakage(.alert, "severity warning", #""severity":"major""#, #""severity":"warning""#, "/severity", "enum"),
        Breakage(.alert, "a local time", "01:15:00.000Z", "02:15:00.000+01:00", "/at", "pattern"),
        Breakage(.alert, "a value as text", #""value":2.7"#, #""value":"2.7""#, "/value", "type"),
        Breakage(.alert, "no threshold", #","threshold":2"#, "", "", "required"),
        Breakage(.alert, "schema id of aggregates", "streetgate/alert/1", "streetgate/aggregates/1", "/schema", "const"),
        Breakage(.status, "state away", #""state":"online""#, #""state":"away""#, "/state", "enum"),
        Breakage(.status, "state Online", #""state":"online""#, #""state":"Online""#, "/state", "enum"),
        Breakage(.status, "a short config hash", "0123456789abcdef", "0123", "/config_hash", "pattern"),
        Breakage(.status, "an uppercase config hash", "0123456789abcdef", "0123456789ABCDEF", "/config_hash", "pattern"),
        Breakage(.status, "another hash", "fnv1a64:", "sha256:", "/config_hash", "pattern"),
        Breakage(.status, "at without milliseconds", "13:59:01.250Z", "13:59:01Z", "/at", "pattern"),
        Breakage(.status, "an empty version", #""version":"0.1.0""#, #""version":"""#, "/version", "minLength"),
        Breakage(.status, "no started", #""started":"2026-11-26T13:59:00.000Z","#, "", "", "required"),
        Breakage(.health, "buffer.oldest in words", "2026-11-12T14:00:00.500Z", "two weeks ago", "/buffer/oldest", "pattern"),
        Breakage(.health, "next_seq 0", #""next_seq":1}"#, #""next_seq":0}"#, "/hubs/1/next_seq", "minimum"),
        Breakage(.health, "connected as text", #""connected":true"#, #""connected":"yes""#, "/hubs/0/connected", "type"),
        Breakage(.health, "a last_ack in epoch milliseconds", #""last_ack":"2026-11-26T13:59:58.250Z""#, #""last_ack":1795701598250"#, "/hubs/0/last_ack", "type"),
        Breakage(.health, "a hub without oldest_backlog", #""oldest_backlog":null,"#, "", "/hubs/0", "required"),
        Breakage(.health, "a negative drop count", #""readings_expired":5000"#, #""readings_expired":-1"#, "/dropped/readings_expired", "minimum"),
        Breakage(.health, "a fractional dead letter count", #""not_json":3"#, #""not_json":3.5"#, "/dead_letters/by_reason/not_json", "type"),
        Breakage(.health, "no dead letter total", #""total":6,"#, "", "/dead_letters", "required"),
        Breakage(.health, "uptime in fractions", #""uptime_s":61"#, #""uptime_s":61.5"#, "/uptime_s", "type"),
        Breakage(.health, "hubs as text", #""hubs":["#, #""hubs":"none","more_hubs":["#, "/hubs", "type"),
    ]

    @Test("a payload that breaks its schema is rejected, naming the path and the keyword", arguments: breakages)
    func brokenPayloads(_ breakage: Breakage) throws {
        let valid = try Self.validSample(for: breakage.schema)
        try breakage.schema.expectValid(valid)
        let broken = valid.replacingOccurrences(of: breakage.replace, with: breakage.with)
        try #require(broken != valid, "the sample has no \(breakage.replace)")
        let violations = try breakage.schema.violations(broken)
        #expect(
            violations.contains { $0.path == breakage.path && $0.keyword == breakage.keyword },
            "\(broken)\n\(violations.map(\.description).joined(separator: "\n"))")
    }

    static func validSample(for schema: UplinkSchema) throws -> String {
        switch schema {
        case .aggregates:
            UplinkPayloads.aggregateBatch(
                [try UplinkSamples.contractAggregate()], gateway: UplinkSamples.gateway, seq: 1042, historical: false)
        case .alert: UplinkPayloads.alert(try UplinkSamples.contractAlert(), gateway: UplinkSamples.gateway)
        case .status: UplinkPayloads.status(try UplinkSamples.onlineStatus())
        case .health: UplinkPayloads.health(try UplinkSamples.fullHealth())
        }
    }
}
