// Contract checked here: with readings keyed by time, what arrived after the stats flush or the
// rules snapshot is still found exactly, late readings included, across a SIGKILL and a restart;
// and it is found as a short range of the time key, not by reading the whole table.
import Foundation
import GRDB
import GatewayCore
import Synchronization
import TestSupport
import Testing
@testable import GatewayStore

@Suite("Arrival order over readings keyed by time")
struct ArrivalOrderTests {
    /// An hour of one reading a second from `m1`: what a buffer holds before the late ones come.
    static let hour = (0..<3_600).map { reading("fes/water/m1", at: 1_000_000 + Int64($0) * 1_000, 1) }

    @Test("a late reading after the flush lowers the floor, and is counted after a SIGKILL")
    func lateReadingCountedAfterCrash() throws {
        let directory = try TemporaryDirectory()
        let crashed = try TemporaryDirectory()
        let settings = storeSettings(in: directory)
        let writer = try BufferWriter(settings: settings, logger: quietLogger)
        try writer.commit(readings: Self.hour)
        try writer.maintain(now: Timestamp(milliseconds: 5_000_000))  // flushed: nothing after it
        #expect(writer.state.withLock { $0.arrivals.statsFloor } == .max)
        // A new reading, then one from before everything stored (a device's buffered backlog).
        try writer.commit(readings: [reading("fes/water/m1", at: 4_700_000, 2)])
        #expect(writer.state.withLock { $0.arrivals.statsFloor } == 4_700_000)
        try writer.commit(readings: [reading("fes/water/m2", at: 5_000, 3)])
        #expect(writer.state.withLock { $0.arrivals.statsFloor } == 5_000)
        try copyAsKilled(settings, to: crashed.file("buffer.sqlite"))
        try writer.close()

        let status = try BufferReader(path: crashed.file("buffer.sqlite")).status(now: Timestamp(milliseconds: 5_000_000))
        #expect(status.sensors.map(\.count) == [3_601, 1])
        #expect(status.sensors.map(\.lastValue) == [2, 3])
        let restarted = try BufferWriter(settings: storeSettings(in: crashed), logger: quietLogger)
        try restarted.close()
        let afterRestart = try BufferReader(path: crashed.file("buffer.sqlite")).status(now: Timestamp(milliseconds: 5_000_000))
        #expect(afterRestart.sensors == status.sensors)
    }

    @Test("a rules snapshot taken a few commits before it is saved still replays those commits, late ones too")
    func snapshotSavedAfterLaterCommits() throws {
        let directory = try TemporaryDirectory()
        let settings = storeSettings(in: directory)
        do {
            let writer = try BufferWriter(settings: settings, logger: quietLogger)
            try writer.commit(readings: Self.hour)
            let through = try writer.latestArrival()  // the snapshot is taken here...
            try writer.commit(readings: [reading("fes/water/m1", at: 4_700_000, 2)])
            try writer.commit(readings: [reading("fes/water/m2", at: 5_000, 3)])
            try writer.saveRulesSnapshot([1], throughArrival: through)  // ...and saved after these
            try writer.commit(readings: [reading("fes/water/m3", at: 4_800_000, 4)])
            // Dropped without closing, as a SIGKILL would.
        }
        let writer = try BufferWriter(settings: settings, logger: quietLogger)
        let saved = try #require(try writer.rulesSnapshot())
        var replayed: [Double] = []
        try writer.readings(afterArrival: saved.throughArrival) { replayed.append($0.value) }
        #expect(replayed == [2, 3, 4])
        #expect(try writer.latestReadingTime(afterArrival: saved.throughArrival) == Timestamp(milliseconds: 4_800_000))
        // The floor is the late reading's time: the replay reads from there, not the whole hour.
        #expect(try writer.queue.read { db in
            try EngineStateTable.load(EngineStateTable.rulesTailFloor, as: Int64.self, in: db)
        } == 5_000)
        try writer.close()
    }

    @Test("arrival numbers keep growing across restarts and failed transactions; a block is reserved at a time")
    func numbersOnlyGrow() throws {
        struct Refused: Error {}
        let directory = try TemporaryDirectory()
        let settings = storeSettings(in: directory)
        var seen: [Int64] = []
        for round in 0..<3 {
            let writer = try BufferWriter(settings: settings, logger: quietLogger)
            try writer.commit(readings: [reading("fes/water/m1", at: Int64(round) * 10_000, 1)])
            seen.append(try writer.latestArrival())
            #expect(throws: Refused.self) {
                try writer.commit(readings: [reading("fes/water/m1", at: Int64(round) * 10_000 + 1, 1)]) { _, _ in throw Refused() }
            }
            try writer.commit(readings: [reading("fes/water/m1", at: Int64(round) * 10_000 + 2, 1)])
            seen.append(try writer.latestArrival())
            try writer.close()
        }
        #expect(seen == seen.sorted() && Set(seen).count == seen.count, "\(seen)")
        #expect(seen[0] == 1)
        #expect(seen[2] >= 1 + ArrivalMarks.reservation, "a restart numbers above the reserved block")
    }
}
