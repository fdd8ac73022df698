import GatewayCore
import Testing

@Suite("Recorded readings and replay")
struct ReplayTests {
    @Test("the CSV that export writes reads back, quoted fields and epoch seconds included")
    func readsExportedCSV() throws {
        let csv = try RecordedReadings(header: "time,sensor,metric,value")
        let first = try csv.reading("2026-11-26T01:15:00.000Z,fes/water/meter-0042,flow,2.7", number: 2)
        #expect(first == Reading(sensor: "fes/water/meter-0042", metric: "flow", time: Timestamp(rfc3339: "2026-11-26T01:15:00Z")!, value: 2.7))
        let quoted = try csv.reading("1764119700,\"fes/water/a,b\",flow,1", number: 3)
        #expect(quoted.sensor == "fes/water/a,b")
        #expect(quoted.time == Timestamp(milliseconds: 1_764_119_700_000))
        let doubled = try csv.reading("1764119700,\"say \"\"hi\"\"\",flow,1", number: 4)
        #expect(doubled.sensor == "say \"hi\"")
    }

    @Test("columns may come in any order")
    func columnOrder() throws {
        let csv = try RecordedReadings(header: "value,metric,sensor,time")
        let reading = try csv.reading("3.5,flow,fes/water/m1,2026-11-26T00:00:00Z", number: 2)
        #expect(reading.value == 3.5)
        #expect(reading.sensor == "fes/water/m1")
    }

    @Test("a bad header or line says which line and what was expected")
    func badLines() throws {
        #expect(throws: RecordedReadings.LineError.self) { try RecordedReadings(header: "time,sensor,value") }
        let csv = try RecordedReadings(header: "time,sensor,metric,value")
        for (line, fragment) in [
            ("yesterday,s,m,1", "neither RFC 3339"),
            ("2026-11-26T00:00:00Z,s,m,abc", "not a finite number"),
            ("2026-11-26T00:00:00Z,s,m,1e999", "not a finite number"),
            ("2026-11-26T00:00:00Z,s,m", "3 fields"),
            ("2026-11-26T00:00:00Z,,m,1", "empty sensor"),
        ] {
            do {
                _ = try csv.reading(line, number: 7)
                Issue.record("\(line) was accepted")
            } catch {
                #expect(error.description.hasPrefix("line 7: "))
                #expect(error.description.contains(fragment), "\(error)")
            }
        }
    }

    @Test("alert events and aggregate batches are written in the uplink's shapes")
    func uplinkShapes() {
        let event = AlertEvent(
            id: "night-leak/fes/water/meter-0042/1764118800000", rule: "night-leak", sensor: "fes/water/meter-0042",
            metric: "flow", severity: .major, state: .raised, at: Timestamp(milliseconds: 1_764_118_800_000),
            value: 2.7, threshold: 2
        )
        #expect(UplinkPayloads.alert(event, gateway: "fes-medina-01") == """
            {"schema":"streetgate/alert/1","gateway":"fes-medina-01","id":"night-leak/fes/water/meter-0042/1764118800000",\
            "rule":"night-leak","sensor":"fes/water/meter-0042","metric":"flow","severity":"major","state":"raised",\
            "at":"2025-11-26T01:00:00.000Z","value":2.7,"threshold":2}
            """)
        let aggregate = Aggregate(
            sensor: "fes/water/meter-0042", metric: "flow", start: Timestamp(rfc3339: "2026-11-26T13:59:00Z")!,
            windowSeconds: 60, count: 12, min: 1.2, max: 3.4, sum: 25.2, last: 2, lastTime: Timestamp(rfc3339: "2026-11-26T13:59:55Z")!, rev: 0
        )
        #expect(UplinkPayloads.aggregateBatch([aggregate], gateway: "fes-medina-01", seq: 1042, historical: false) == """
            {"schema":"streetgate/aggregates/1","gateway":"fes-medina-01","seq":1042,"historical":false,"aggregates":[\
            {"sensor":"fes/water/meter-0042","metric":"flow","start":"2026-11-26T13:59:00.000Z","window_s":60,"count":12,\
            "min":1.2,"max":3.4,"mean":2.1,"sum":25.2,"last":2,"rev":0}]}
            """)
    }

    @Test("a replay raises and clears an alert and closes every window at the end")
    func replayRun() throws {
        let toml = """
            [gateway]
            id = "replay-test"
            [[source]]
            name = "s"
            url = "mqtt://127.0.0.1"
            topics = ["#"]
            [aggregate]
            window = "1m"
            grace = "10s"
            [[rule]]
            name = "high-flow"
            sensors = "+/water/+"
            metric = "flow"
            when = "above"
            threshold = 5
            clear = 4
            """
        let config = try #require(ConfigLoader.parse(toml, file: "test.toml").config)
        var session = ReplaySession(config: config, zone: FixedOffsetZone.utc)
        let start = Timestamp(rfc3339: "2026-11-26T10:00:00Z")!.milliseconds
        var lines: [String] = []
        for (second, value) in [(0, 1.0), (20, 6.0), (40, 7.0), (70, 3.0), (90, 2.0)] {
            let reading = Reading(sensor: "fes/water/m1", metric: "flow", time: Timestamp(milliseconds: start + Int64(second) * 1000), value: value)
            lines += session.feed(reading)
        }
        lines += session.finish()
        let alerts = lines.filter { $0.contains("streetgate/alert/1") }
        let batches = lines.filter { $0.contains("streetgate/aggregates/1") }
        #expect(alerts.count == 2)
        #expect(alerts.first?.contains("\"state\":\"raised\"") == true)
        #expect(alerts.last?.contains("\"state\":\"cleared\"") == true)
        #expect(batches.count == 2)
        #expect(batches.first?.contains("\"count\":3,\"min\":1,\"max\":7") == true)
        #expect(batches.first?.contains("\"seq\":1") == true)
        #expect(batches.last?.contains("\"count\":2,\"min\":2,\"max\":3") == true)
        #expect(batches.last?.contains("\"seq\":2") == true)
    }
}
