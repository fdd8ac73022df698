import CitySimulation
import Foundation
import Testing

@Suite("Payloads and topics are what the gateway's sources expect")
struct PayloadTests {
    static let start = SimulatedTime(year: 2026, month: 11, day: 26, hour: 13, minute: 59)
    static func messages(_ format: PayloadFormat, count: Int = 400) -> [SimulatedMessage] {
        let scenario = Scenario(
            seed: 42, city: .fes, counts: DeviceCounts(meters: 3, bins: 3, lamps: 3, airStations: 3),
            start: start, intervalMilliseconds: 5_000, format: format
        )
        return Array(scenario.prefix(count))
    }

    @Test("every JSON payload parses, with a finite value and an epoch-millisecond ts")
    func jsonPayloads() throws {
        let json = Self.messages(.json).filter { $0.topic.hasPrefix("city/") }
        #expect(json.count == 400)
        for message in json {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(message.payload)) as? [String: Any])
            #expect(Set(object.keys) == ["value", "ts"])
            let value = try #require(object["value"] as? NSNumber).doubleValue
            #expect(value.isFinite)
            let ts = try #require(object["ts"] as? NSNumber).int64Value
            #expect(ts == message.time.epochMilliseconds)
            // Epoch milliseconds, not seconds: 2001-09-09 onwards has 13 digits.
            #expect(ts > 1_000_000_000_000 && ts < 10_000_000_000_000)
        }
    }

    @Test("topics are city/{city}/{domain}/{device}/{metric}, five levels")
    func jsonTopics() {
        let domains = Set(Domain.allCases.map(\.rawValue))
        let metrics = Set(Metric.allCases.map(\.rawValue))
        let topics = Self.messages(.json).map(\.topic)
        for topic in topics {
            let levels = topic.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
            #expect(levels.count == 5, "\(topic)")
            guard levels.count == 5 else { continue }
            #expect(levels[0] == "city")
            #expect(levels[1] == "fes")
            #expect(domains.contains(levels[2]))
            #expect(levels[3].wholeMatch(of: /(meter|bin|lamp|aq)-\d{4}/) != nil)
            #expect(metrics.contains(levels[4]))
        }
        #expect(Set(topics.map { $0.split(separator: "/")[2] }) == Set(domains.map { Substring($0) }))
    }

    @Test("air quality is a SenML pack in mixed mode: an array with the RFC 8428 fields")
    func senmlPacks() throws {
        let packs = Self.messages(.mixed).filter { $0.topic.hasPrefix("senml/") }
        #expect(!packs.isEmpty)
        for message in packs {
            #expect(message.topic.wholeMatch(of: /senml\/fes\/air\/aq-\d{4}/) != nil)
            let records = try #require(try JSONSerialization.jsonObject(with: Data(message.payload)) as? [[String: Any]])
            #expect(records.map { $0["n"] as? String } == ["pm25", "pm10", "temperature", "humidity"])
            #expect(records.map { $0["u"] as? String } == ["ug/m3", "ug/m3", "Cel", "%RH"])
            #expect(records[0]["bn"] as? String == "")
            let baseTime = try #require(records[0]["bt"] as? NSNumber).doubleValue
            #expect(abs(baseTime * 1_000 - Double(message.time.epochMilliseconds)) < 0.5)
            for (index, record) in records.enumerated() {
                let value = try #require(record["v"] as? NSNumber).doubleValue
                #expect(value.isFinite)
                #expect(Set(record.keys).isSubset(of: ["bn", "bt", "n", "u", "v"]))
                if index > 0 { #expect(record["bt"] == nil) }
            }
        }
        let pm25 = try #require(packs.first.flatMap { try JSONSerialization.jsonObject(with: Data($0.payload)) as? [[String: Any]] })
        #expect((pm25[1]["v"] as? NSNumber)!.doubleValue >= (pm25[0]["v"] as? NSNumber)!.doubleValue)
    }

    @Test("in senml mode every domain sends packs on senml/{city}/{domain}/{device}")
    func senmlEverywhere() throws {
        let messages = Self.messages(.senml, count: 60)
        #expect(messages.allSatisfy { $0.topic.hasPrefix("senml/fes/") })
        #expect(Set(messages.map { $0.topic.split(separator: "/")[2] }).count == 4)
        for message in messages {
            #expect(try JSONSerialization.jsonObject(with: Data(message.payload)) is [[String: Any]])
        }
    }

    @Test("the payload is compact, with a few decimals")
    func compact() {
        let reading = Reading(device: Device(.water, number: 1), metric: .flow, value: 2.41, time: SimulatedTime(epochMilliseconds: 1_764_165_540_123))
        #expect(String(decoding: ReadingPayload.encode(reading), as: UTF8.self) == #"{"value":2.41,"ts":1764165540123}"#)
        let readings = [
            Reading(device: Device(.air, number: 1), metric: .pm25, value: 12.34, time: SimulatedTime(epochMilliseconds: 1_764_165_540_123)),
            Reading(device: Device(.air, number: 1), metric: .pm10, value: 20.06, time: SimulatedTime(epochMilliseconds: 1_764_165_540_123)),
        ]
        #expect(String(decoding: SenMLPack.encode(readings), as: UTF8.self)
            == #"[{"bn":"","bt":1764165540.123,"n":"pm25","u":"ug/m3","v":12.3},{"n":"pm10","u":"ug/m3","v":20.1}]"#)
    }

    @Test("numbers are written short and exact", arguments: [
        (2.41, 3, "2.41"), (18.0, 1, "18"), (-0.04, 1, "0"), (-1.25, 1, "-1.3"), (0.005, 3, "0.005"), (1234.5678, 3, "1234.568"),
    ])
    func numbers(value: Double, decimals: Int, expected: String) {
        let reading = Reading(device: Device(.water, number: 1), metric: decimals == 3 ? .flow : .fill, value: value, time: SimulatedTime(epochMilliseconds: 0))
        #expect(String(decoding: ReadingPayload.encode(reading), as: UTF8.self) == #"{"value":\#(expected),"ts":0}"#)
    }
}
