// Contract checked here (issue "Anomaly rules and clock-aligned windows"): an alert is raised once
// and cleared once with the same id, and a restart neither raises it again nor forgets it;
// aggregates are exact across a SIGKILL in the middle of a window.
import Foundation
import GatewayCore
import GatewayStore
import TestSupport
import Testing

@Suite("Rules and windows on the built binary, across SIGKILLs", .serialized)
struct RulesAndWindowsTests {
    static let rules = """
        [aggregate]
        window = "4s"
        grace = "1s"

        [[rule]]
        name = "high-flow"
        sensors = "+/water/+"
        metric = "flow"
        when = "above"
        threshold = 5.0
        clear = 4.0
        severity = "major"
        """

    func events(_ gateway: GatewayUnderTest) throws -> [AlertEvent] {
        try BufferReader(path: gateway.databasePath).alertEvents(since: 0, limit: 1_000).map(\.event)
    }

    func aggregates(_ gateway: GatewayUnderTest) throws -> [Aggregate] {
        try BufferReader(path: gateway.databasePath).aggregates(since: 0, limit: 10_000).map(\.aggregate)
    }

    @Test("an alert raised before a SIGKILL is neither raised again nor forgotten, and clears once")
    func alertSurvivesSigkill() async throws {
        let broker = try MosquittoBroker()
        let gateway = try GatewayUnderTest(broker: broker, id: "alert-restart", extra: Self.rules)
        try await gateway.process.start()
        let sensors = SensorPublisher(broker: broker)
        try await sensors.start()
        let now = Int64(Date().timeIntervalSince1970 * 1000)

        try sensors.publish("city/fes/water/meter-1/flow", "{\"value\":9,\"ts\":\(now)}")
        try await sensors.drained()
        try await eventually("the alert raised") { try events(gateway).count == 1 }

        #expect(gateway.process.signal(SIGKILL) == SIGKILL)
        try await gateway.process.start()
        let status = try gateway.run(["status", "--json"])
        #expect(status.stdout.contains("high-flow/fes/water/meter-1/\(now)"), "\(status.stdout)")

        try sensors.publish("city/fes/water/meter-1/flow", "{\"value\":11,\"ts\":\(now + 100)}")
        try sensors.publish("city/fes/water/meter-1/flow", "{\"value\":4.5,\"ts\":\(now + 200)}")
        try sensors.publish("city/fes/water/meter-1/flow", "{\"value\":3,\"ts\":\(now + 300)}")
        try await sensors.drained()
        try await eventually("the alert cleared") { try events(gateway).count == 2 }

        let stored = try events(gateway)
        #expect(stored.map(\.state) == [.raised, .cleared])
        #expect(Set(stored.map(\.id)) == ["high-flow/fes/water/meter-1/\(now)"])
        #expect(stored.last?.value == 3)
        // Logged just after the commit, so it may trail the database by a moment.
        try await eventually("the clear logged") { gateway.process.log.contains("alert cleared") }
        #expect(gateway.process.signal(SIGTERM) == 0)
    }

    @Test("a window interrupted by a SIGKILL is emitted once, with every reading in it")
    func windowSurvivesSigkill() async throws {
        let broker = try MosquittoBroker()
        let gateway = try GatewayUnderTest(broker: broker, id: "window-restart", extra: Self.rules)
        try await gateway.process.start()
        let sensors = SensorPublisher(broker: broker)
        try await sensors.start()

        // Readings stamped into the window that is open now, so it is still open at the SIGKILL.
        let window: Int64 = 4_000
        let nowMs = Int64(Date().timeIntervalSince1970 * 1000)
        let start = (nowMs / window + 1) * window   // the next window: open for at least 5 s from now
        for index in 0..<5 {
            try sensors.publish("city/fes/waste/bin-1/fill", "{\"value\":\(10 + index),\"ts\":\(start + Int64(index) * 100)}")
        }
        try await sensors.drained()
        try await eventually("the first readings stored") { gateway.storedRows() >= 5 }
        #expect(gateway.process.signal(SIGKILL) == SIGKILL)
        try await gateway.process.start()
        for index in 5..<10 {
            try sensors.publish("city/fes/waste/bin-1/fill", "{\"value\":\(10 + index),\"ts\":\(start + Int64(index) * 100)}")
        }
        try await sensors.drained()

        try await eventually(within: .seconds(30), "the window closed") {
            try aggregates(gateway).contains { $0.sensor == "fes/waste/bin-1" && $0.start.milliseconds == start }
        }
        let emitted = try aggregates(gateway).filter { $0.sensor == "fes/waste/bin-1" && $0.start.milliseconds == start }
        #expect(emitted.count == 1)
        let aggregate = try #require(emitted.first)
        #expect(aggregate.count == 10)
        #expect(aggregate.min == 10)
        #expect(aggregate.max == 19)
        #expect(aggregate.sum == 145)
        #expect(aggregate.last == 19)
        #expect(aggregate.rev == 0)
        #expect(aggregate.windowSeconds == 4)
        #expect(gateway.process.signal(SIGTERM) == 0)
    }
}
