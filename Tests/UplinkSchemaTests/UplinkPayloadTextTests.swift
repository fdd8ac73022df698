// Contract: status and health are written with a fixed key order, counts by reason in sorted key
// order, null for missing times, and no `at` in the will; config_hash is FNV-1a 64 over the bytes.
import GatewayCore
import Testing

@Suite("Status and health payload text")
struct UplinkPayloadTextTests {
    @Test("online and clean-stop statuses carry at; the will does not")
    func statusText() throws {
        let online = try UplinkSamples.onlineStatus()
        #expect(UplinkPayloads.status(online) == """
            {"schema":"streetgate/status/1","gateway":"fes-medina-01","state":"online","version":"0.1.0",\
            "started":"2026-11-26T13:59:00.000Z","config_hash":"fnv1a64:0123456789abcdef","at":"2026-11-26T13:59:01.250Z"}
            """)
        var stopped = online
        stopped.state = .offline
        stopped.at = try time("2026-11-27T08:00:00Z")
        #expect(UplinkPayloads.status(stopped) == """
            {"schema":"streetgate/status/1","gateway":"fes-medina-01","state":"offline","version":"0.1.0",\
            "started":"2026-11-26T13:59:00.000Z","config_hash":"fnv1a64:0123456789abcdef","at":"2026-11-27T08:00:00.000Z"}
            """)
        var will = stopped
        will.at = nil
        #expect(UplinkPayloads.status(will) == """
            {"schema":"streetgate/status/1","gateway":"fes-medina-01","state":"offline","version":"0.1.0",\
            "started":"2026-11-26T13:59:00.000Z","config_hash":"fnv1a64:0123456789abcdef"}
            """)
    }

    @Test("health nests dead letters and buffer, lists hubs in order, sorts reasons and writes null times")
    func healthText() throws {
        #expect(UplinkPayloads.health(try UplinkSamples.fullHealth()) == """
            {"schema":"streetgate/health/1","gateway":"fes-medina-01","at":"2026-11-26T14:00:00.000Z","uptime_s":61,\
            "readings_in":12345,"readings_duplicate":17,\
            "dead_letters":{"total":6,"by_reason":{"bad_time":1,"not_json":3,"topic_mismatch":2}},\
            "buffer":{"rows":12000,"bytes":4194304,"oldest":"2026-11-12T14:00:00.500Z"},\
            "hubs":[{"name":"city","connected":true,"backlog_batches":0,"backlog_aggregates":0,"oldest_backlog":null,\
            "last_ack":"2026-11-26T13:59:58.250Z","next_seq":1043},\
            {"name":"backup","connected":false,"backlog_batches":12,"backlog_aggregates":1180,\
            "oldest_backlog":"2026-11-26T11:00:00.000Z","last_ack":null,"next_seq":1}],\
            "dropped":{"aggregates_evicted":0,"aggregates_expired":0,"alerts_evicted":0,"batches_evicted":0,\
            "dead_letters_evicted":2,"readings_evicted":0,"readings_expired":5000}}
            """)
    }

    @Test("a health report with nothing in it keeps its shape")
    func emptyHealthText() throws {
        let report = HealthReport(
            gateway: "g", at: Timestamp(milliseconds: 0), uptimeSeconds: 0, readingsIn: 0, readingsDuplicate: 0,
            deadLetters: [:], bufferRows: 0, bufferBytes: 0, bufferOldest: nil, hubs: [], dropped: [:])
        #expect(UplinkPayloads.health(report) == """
            {"schema":"streetgate/health/1","gateway":"g","at":"1970-01-01T00:00:00.000Z","uptime_s":0,"readings_in":0,\
            "readings_duplicate":0,"dead_letters":{"total":0,"by_reason":{}},"buffer":{"rows":0,"bytes":0,"oldest":null},\
            "hubs":[],"dropped":{}}
            """)
    }

    @Test("the same figures give the same text, whatever order the dictionaries hold them in")
    func stableText() throws {
        let reasons = (0..<50).map { "reason_\($0)" }
        var first = try UplinkSamples.fullHealth()
        var second = first
        first.dropped = Dictionary(uniqueKeysWithValues: reasons.map { ($0, $0.count) })
        second.dropped = [:]
        for reason in reasons.reversed() { second.dropped[reason] = reason.count }
        #expect(UplinkPayloads.health(first) == UplinkPayloads.health(second))
    }

    @Test("a dead letter total too large for an Int stops at Int.max rather than trapping")
    func saturatedTotal() throws {
        var report = try UplinkSamples.fullHealth()
        report.deadLetters = ["not_json": Int.max, "bad_time": 1]
        #expect(UplinkPayloads.health(report).contains(#""dead_letters":{"total":\#(Int.max),"#))
    }

    @Test("the config fingerprint is FNV-1a 64 over the bytes, as 16 lowercase hex digits")
    func fingerprint() {
        // Reference values of FNV-1a 64 (Fowler, Noll, Vo).
        #expect(ConfigFingerprint(bytes: []).description == "fnv1a64:cbf29ce484222325")
        #expect(ConfigFingerprint(bytes: "a".utf8).description == "fnv1a64:af63dc4c8601ec8c")
        #expect(ConfigFingerprint(bytes: "foobar".utf8).description == "fnv1a64:85944171f73967e8")
        #expect(ConfigFingerprint(value: 1).description == "fnv1a64:0000000000000001")
        #expect(ConfigFingerprint(value: .max).description == "fnv1a64:ffffffffffffffff")
        #expect(ConfigFingerprint(bytes: "id = \"a\"\n".utf8) != ConfigFingerprint(bytes: "id = \"b\"\n".utf8))
    }
}
