// Contract checked here (contract.md, Guarantees): bad input never stops the daemon and never
// passes unseen: malformed payloads are dead-lettered with their reason, counted, and the good
// readings around them are stored.
import Foundation
import TestSupport
import Testing

@Suite("Bad input, end to end with the built binary", .serialized)
struct BadInputTests {
    @Test("malformed payloads become dead letters, the daemon stays up, good readings around them are stored")
    func malformedPayloads() async throws {
        let broker = try MosquittoBroker()
        let gateway = try GatewayUnderTest(broker: broker, id: "bad-input", topics: "city/#", extraSource: "max_payload = \"1KiB\"")
        try await gateway.process.start()
        let sensors = SensorPublisher(broker: broker)
        try await sensors.start()

        let topic = "city/tunis/air/aq-0001/pm25"
        let bad: [(String, [UInt8])] = [
            ("not_json", Array("hello".utf8)),
            ("missing_value", Array("{\"v\":1}".utf8)),
            ("not_a_number", Array("{\"value\":\"2.5\"}".utf8)),
            ("not_finite", Array("{\"value\":1e999}".utf8)),
            ("invalid_utf8", [0x7B, 0x22, 0x76, 0xFF, 0xFE, 0x22, 0x3A, 0x31, 0x7D]),
            ("too_deep", Array(("{\"value\":" + String(repeating: "[", count: 40) + "1" + String(repeating: "]", count: 40) + "}").utf8)),
            ("too_large", Array(("{\"value\":1,\"pad\":\"" + String(repeating: "x", count: 2_000) + "\"}").utf8)),
        ]
        try sensors.publish(topic, "{\"value\":1,\"ts\":\(anHourAgo)}")
        for (_, payload) in bad {
            try sensors.publish(topic, bytes: payload)
        }
        try sensors.publish(topic, "{\"value\":2,\"ts\":\(anHourAgo + 1)}")
        try sensors.publish("city/tunis/air/aq-0001", "{\"value\":3}")
        try await sensors.drained()

        try await eventually("the good readings") { gateway.storedRows() >= 2 }
        let statusResult = try gateway.run(["status", "--json"])
        #expect(statusResult.status == 0)
        let status = try JSONSerialization.jsonObject(with: Data(statusResult.stdout.utf8)) as? [String: Any]
        let deadLetters = status?["dead_letters"] as? [String: Any]
        let byReason = deadLetters?["by_reason"] as? [String: Int] ?? [:]
        for (reason, _) in bad {
            #expect(byReason[reason] == 1, "\(reason) in \(byReason)")
        }
        #expect(byReason["topic_mismatch"] == 1)
        #expect(gateway.process.isRunning)
        #expect(exportedNumbers(try gateway.run(["export", "--since", "2h"]).stdout) == [1, 2])

        let text = try gateway.run(["status"])
        #expect(text.stdout.contains("tunis/air/aq-0001"))
        #expect(text.stdout.contains("not_finite"))
        #expect(gateway.process.signal(SIGTERM) == 0)
    }
}
