// Contract checked here: per hub, a message is built once with the next seq and kept until
// acknowledged, then forgotten; seq runs gap-free from 1 and survives reopening the file; what
// waited while a hub was away becomes its backlog (historical), what came after is live; alerts
// have their own cursor; one hub's cursor never moves another's; rows deleted before a hub got
// them are counted for that hub.
import GRDB
import GatewayCore
import TestSupport
import Testing
@testable import GatewayStore

@Suite("The uplink's hub outbox")
struct HubOutboxTests {
    let directory: TemporaryDirectory
    let settings: StoreSettings

    init() throws {
        directory = try TemporaryDirectory()
        settings = storeSettings(in: directory)
    }

    func open() throws -> BufferWriter {
        try BufferWriter(settings: settings, logger: quietLogger)
    }

    /// An encoding that shows what went in: "seq:historical:count".
    static func encode(_ aggregates: [Aggregate], _ seq: Int, _ historical: Bool) -> [UInt8] {
        Array("\(seq):\(historical):\(aggregates.count)".utf8)
    }

    func batch(_ writer: BufferWriter, _ hub: String = "city", from source: BatchSource, limit: Int = 3) throws -> HubMessage? {
        try writer.buildAggregateBatch(hub: hub, from: source, limit: limit, now: Timestamp(milliseconds: 0), encode: Self.encode)
    }

    func windows(_ count: Int, from start: Int64) -> [Aggregate] {
        (0..<count).map { aggregate("fes/water/m\($0)", start: start) }
    }

    @Test("seq runs from 1 across live and backlog batches, and a message stays until acknowledged")
    func seqAndAcknowledgement() throws {
        let writer = try open()
        try writer.registerHubs(["city"])
        try writer.commit(derived: DerivedRecords(alerts: [], aggregates: windows(5, from: 60_000)))
        try writer.hubConnected("city", at: Timestamp(milliseconds: 1))
        // Stored before the first connect: backlog.
        #expect(try batch(writer, from: .live) == nil)
        let first = try #require(try batch(writer, from: .backlog))
        #expect(first.seq == 1 && first.historical && first.items == 3)
        let second = try #require(try batch(writer, from: .backlog))
        #expect(second.seq == 2 && second.items == 2)
        #expect(try batch(writer, from: .backlog) == nil)

        try writer.commit(derived: DerivedRecords(alerts: [], aggregates: windows(2, from: 120_000)))
        let live = try #require(try batch(writer, from: .live))
        #expect(live.seq == 3 && !live.historical && String(decoding: live.payload, as: UTF8.self) == "3:false:2")

        #expect(try writer.unacknowledgedMessages(hub: "city").map(\.seq) == [1, 2, 3])
        try writer.acknowledge(hub: "city", messages: [first.id, live.id], at: Timestamp(milliseconds: 5))
        #expect(try writer.unacknowledgedMessages(hub: "city").map(\.seq) == [2])
        try writer.close()

        let reopened = try open()
        try reopened.registerHubs(["city"])
        let resent = try reopened.unacknowledgedMessages(hub: "city")
        #expect(resent == [second])
        try reopened.commit(derived: DerivedRecords(alerts: [], aggregates: windows(1, from: 180_000)))
        try reopened.hubConnected("city", at: Timestamp(milliseconds: 9))
        #expect(try batch(reopened, from: .backlog)?.seq == 4, "seq never repeats across restarts")
    }

    @Test("an outage turns what waited into backlog; what comes after the reconnect is live")
    func outageMakesBacklog() throws {
        let writer = try open()
        try writer.registerHubs(["city"])
        try writer.hubConnected("city", at: Timestamp(milliseconds: 0))
        try writer.commit(derived: DerivedRecords(alerts: [], aggregates: windows(2, from: 60_000)))
        #expect(try batch(writer, from: .live)?.items == 2)
        try writer.hubDisconnected("city", at: Timestamp(milliseconds: 1))
        try writer.commit(derived: DerivedRecords(alerts: [], aggregates: windows(4, from: 120_000)))
        try writer.hubConnected("city", at: Timestamp(milliseconds: 2))
        try writer.commit(derived: DerivedRecords(alerts: [], aggregates: windows(1, from: 180_000)))

        let live = try #require(try batch(writer, from: .live, limit: 10))
        #expect(!live.historical && live.items == 1 && live.oldest.milliseconds == 180_000)
        let old = try #require(try batch(writer, from: .backlog, limit: 10))
        #expect(old.historical && old.items == 4 && old.oldest.milliseconds == 120_000)
        let delivery = try #require(try writer.hubDeliveries(maxBatch: ["city": 10]).first)
        #expect(delivery.connected && delivery.pendingAggregates == 0 && delivery.unacknowledged == 3)
    }

    @Test("each hub has its own cursors and seq; alerts have theirs")
    func hubsAreIndependent() throws {
        let writer = try open()
        try writer.registerHubs(["city", "euromed"])
        try writer.hubConnected("city", at: Timestamp(milliseconds: 0))
        try writer.hubConnected("euromed", at: Timestamp(milliseconds: 0))
        try writer.commit(derived: DerivedRecords(
            alerts: [alertEvent(.raised, sensor: "fes/water/m1", raisedAt: 50_000)],
            aggregates: windows(3, from: 60_000)
        ))
        let alert = try #require(try writer.buildAlertMessage(hub: "city", now: Timestamp(milliseconds: 0)) { Array($0.id.utf8) })
        #expect(alert.kind == .alert && alert.seq == nil)
        #expect(try writer.buildAlertMessage(hub: "city", now: Timestamp(milliseconds: 0)) { _ in [] } == nil)
        #expect(try batch(writer, "city", from: .live)?.seq == 1)
        let deliveries = try writer.hubDeliveries(maxBatch: [:])
        let euromed = try #require(deliveries.first { $0.name == "euromed" })
        #expect(euromed.pendingAggregates == 3 && euromed.pendingAlerts == 1 && euromed.nextSeq == 1)
        #expect(try batch(writer, "euromed", from: .live)?.seq == 1)
        #expect(throws: StoreError.unknownHub("nobody")) { try batch(writer, "nobody", from: .live) }
    }

    @Test("aggregates and alerts deleted before a hub got them are counted for that hub only")
    func dropsAreCounted() throws {
        let small = storeSettings(in: directory, retention: .seconds(60))
        let writer = try BufferWriter(settings: small, logger: quietLogger)
        try writer.registerHubs(["city", "euromed"])
        try writer.hubConnected("city", at: Timestamp(milliseconds: 0))
        let now: Int64 = 1_000_000
        try writer.commit(derived: DerivedRecords(alerts: [], aggregates: windows(4, from: now - 120_000)))
        #expect(try batch(writer, "city", from: .live, limit: 10)?.items == 4)
        try writer.maintain(now: Timestamp(milliseconds: now))
        let deliveries = try writer.hubDeliveries(maxBatch: [:])
        #expect(deliveries.first { $0.name == "city" }?.droppedAggregates == 0)
        #expect(deliveries.first { $0.name == "euromed" }?.droppedAggregates == 4)
        #expect(deliveries.first { $0.name == "euromed" }?.pendingAggregates == 0)
    }
}
