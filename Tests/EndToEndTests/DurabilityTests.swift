// Contract checked here (contract.md, Guarantees): a reading acknowledged to the sensor broker is
// in SQLite, so SIGKILLs of the daemon and restarts of the broker lose none.
import Foundation
import TestSupport
import Testing

@Suite("Durable ingest, end to end with the built binary", .serialized)
struct DurabilityTests {
    @Test("20,000 numbered QoS 1 readings survive three SIGKILLs of the gateway, each stored once")
    func survivesSigkills() async throws {
        let broker = try MosquittoBroker()
        let gateway = try GatewayUnderTest(broker: broker, id: "kill-test")
        try await gateway.process.start()
        let sensors = SensorPublisher(broker: broker)
        try await sensors.start()

        let total = 20_000
        let killPoints: Set = [3_000, 9_500, 16_000]
        for number in 0..<total {
            if killPoints.contains(number) {
                // Kill while messages are streaming in, then come back on the same data.
                #expect(gateway.process.signal(SIGKILL) == SIGKILL)
                try await gateway.process.start()
            }
            try sensors.publish("city/fes/water/meter-\(number % 50)/flow", "{\"value\":\(number),\"ts\":\(anHourAgo + Int64(number))}")
            if number % 500 == 499 { try await sensors.drained() }
        }
        try await sensors.drained()
        try await eventually(within: .seconds(60), "all readings stored") { gateway.storedRows() >= Int64(total) }

        let export = try gateway.run(["export", "--since", "2h"])
        #expect(export.status == 0, "\(export.stderr)")
        let numbers = exportedNumbers(export.stdout)
        #expect(numbers.count == total)
        #expect(Set(numbers) == Set(0..<total))
        #expect(gateway.process.signal(SIGTERM) == 0)
    }

    @Test("a source broker restart is followed by a new subscription, and nothing is lost")
    func survivesBrokerRestart() async throws {
        let broker = try MosquittoBroker()
        let gateway = try GatewayUnderTest(broker: broker, id: "broker-restart")
        try await gateway.process.start()
        let sensors = SensorPublisher(broker: broker)
        try await sensors.start()

        for number in 0..<1_000 {
            try sensors.publish("city/fes/waste/bin-\(number % 20)/fill", "{\"value\":\(number),\"ts\":\(anHourAgo + Int64(number))}")
        }
        try await sensors.drained()
        // SIGTERM: mosquitto saves sessions and queued messages, as a broker restart does.
        broker.stop()
        try broker.start()
        try await sensors.drained()
        for number in 1_000..<2_000 {
            try sensors.publish("city/fes/waste/bin-\(number % 20)/fill", "{\"value\":\(number),\"ts\":\(anHourAgo + Int64(number))}")
        }
        try await sensors.drained()
        try await eventually(within: .seconds(60), "all readings stored") { gateway.storedRows() >= 2_000 }

        let numbers = exportedNumbers(try gateway.run(["export", "--since", "2h"]).stdout)
        #expect(Set(numbers) == Set(0..<2_000))
        #expect(numbers.count == 2_000)
        let log = gateway.process.log
        // One connect at start, one after the broker came back (each logs whether the session was kept).
        #expect(log.components(separatedBy: "mqtt.session_present=").count - 1 >= 2)
        #expect(gateway.process.signal(SIGTERM) == 0)
    }
}
