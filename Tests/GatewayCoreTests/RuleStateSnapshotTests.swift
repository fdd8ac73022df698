import Foundation
import Testing

@testable import GatewayCore

@Suite("Rules: the saved state's binary snapshot")
struct RuleStateSnapshotTests {
    /// Every field, each present and absent, empty and not, with extreme numbers and non-ASCII names.
    static let full = RuleEngineState(
        activeAlerts: [
            AlertEvent(
                id: "night-leak/fes/water/meter-0042/1764118800000", rule: "night-leak", sensor: "fes/water/meter-0042",
                metric: "flow", severity: .major, state: .raised, at: Timestamp(milliseconds: 1_764_118_800_000),
                value: 2.7, threshold: 2),
            AlertEvent(
                id: "quiet/rabat/air/station-é/1", rule: "quiet", sensor: "rabat/air/station-é", metric: "pm25",
                severity: .critical, state: .raised, at: Timestamp(milliseconds: 1), value: nil, threshold: nil),
            AlertEvent(
                id: "", rule: "gone", sensor: "", metric: "", severity: .info, state: .cleared,
                at: Timestamp(milliseconds: .min), value: -0.0, threshold: nil),
            AlertEvent(
                id: "x", rule: "night-leak", sensor: "s", metric: "flow", severity: .minor, state: .raised,
                at: Timestamp(milliseconds: .max), value: nil, threshold: -.infinity),
        ],
        sensors: [
            SensorHistory(sensor: "fes/water/meter-0042", series: [
                SeriesHistory(metric: "flow", time: 1_764_118_800_000, value: 1.5, steadySince: nil, held: nil, windows: nil),
                SeriesHistory(
                    metric: "pressure", time: .max, value: .greatestFiniteMagnitude, steadySince: .min,
                    held: ["hold": 10, "rate": -20],
                    windows: [
                        "spike": SavedWindow(anchor: 20, offsets: [0, -1.5, 2.25, .leastNonzeroMagnitude, .infinity]),
                        "dip": SavedWindow(anchor: -1e300, offsets: []),
                    ]),
                SeriesHistory(metric: "level", time: 0, value: 0, steadySince: 5, held: [:], windows: [:]),
            ]),
            SensorHistory(sensor: "rabat/air/station-é", series: [
                SeriesHistory(
                    metric: "pm25", time: -1, value: -3.25, steadySince: nil, held: ["quiet": 7],
                    windows: ["spike": SavedWindow(anchor: 35, offsets: (0..<32).map { Float($0) / 8 })]),
            ]),
            SensorHistory(sensor: "", series: []),
        ])

    @Test("every field survives a round trip: alerts, series, steadySince, holds, windows")
    func fullRoundTrip() throws {
        let bytes = Self.full.snapshot()
        #expect(try RuleEngineState(snapshot: bytes) == Self.full)
        #expect(Array(bytes.prefix(4)) == Array("SGRS".utf8))
    }

    @Test("the size reserved before encoding is the encoded size, so the bytes are allocated once")
    func exactSize() {
        for state in [Self.full, .empty, RuleStateTests.busyBench(rules: RuleStateTests.mixedRules).engine.state] {
            let names = RuleStatePayload.names(of: state)
            #expect(state.snapshot().count == RuleStateSnapshot.headerSize + RuleStatePayload.size(of: state, names: names))
        }
    }

    @Test("the empty state round-trips, in 36 bytes")
    func emptyRoundTrip() throws {
        let bytes = RuleEngineState.empty.snapshot()
        #expect(bytes.count == RuleStateSnapshot.headerSize + 12)
        #expect(try RuleEngineState(snapshot: bytes) == .empty)
    }

    @Test("NaN keeps its bits")
    func notANumber() throws {
        let state = RuleEngineState(activeAlerts: [], sensors: [
            SensorHistory(sensor: "s", series: [
                SeriesHistory(
                    metric: "m", time: 0, value: .nan, steadySince: nil, held: nil,
                    windows: ["w": SavedWindow(anchor: .signalingNaN, offsets: [.nan])]),
            ]),
        ])
        let series = try #require(try RuleEngineState(snapshot: state.snapshot()).sensors.first?.series.first)
        #expect(series.value.bitPattern == Double.nan.bitPattern)
        #expect(series.windows?["w"]?.anchor.bitPattern == Double.signalingNaN.bitPattern)
        #expect(series.windows?["w"]?.offsets.first?.bitPattern == Float.nan.bitPattern)
    }

    @Test("an engine's snapshot, written straight from it, reads back as its state, and restores an engine that saves the same")
    func engineRoundTrip() throws {
        let rules = RuleStateTests.mixedRules
        let bench = RuleStateTests.busyBench(rules: rules)
        let state = bench.engine.state
        #expect(!state.activeAlerts.isEmpty && !state.sensors.isEmpty)
        #expect(try RuleEngineState(snapshot: bench.engine.snapshot()) == state)
        let restored = RuleEngine(rules: rules, zone: FixedOffsetZone.utc, restoring: try RuleEngineState(snapshot: bench.engine.snapshot()))
        #expect(restored.state == state)
        #expect(try RuleEngineState(snapshot: restored.snapshot()) == state)
    }

    @Test("an engine with nothing to keep, or no rules, snapshots the empty state")
    func engineEmpty() throws {
        var bench = RuleBench(RuleStateTests().rule(.above, threshold: 2))
        bench.read([0, 1], from: 0, sensor: "a")
        #expect(try RuleEngineState(snapshot: bench.engine.snapshot()) == .empty)
        #expect(try RuleEngineState(snapshot: RuleEngine(rules: [], zone: FixedOffsetZone.utc).snapshot()) == .empty)
    }

    @Test("the JSON an older release saved is refused as not a snapshot")
    func oldJSON() {
        let json = Array(#"{"activeAlerts":[],"sensors":[{"sensor":"s","series":[{"metric":"m","time":1,"value":2}]}]}"#.utf8)
        #expect(throws: RuleStateSnapshotError(.notASnapshot, at: 0)) { try RuleEngineState(snapshot: json) }
        #expect(throws: RuleStateSnapshotError(.notASnapshot, at: 0)) { try RuleEngineState(snapshot: Array("{}".utf8)) }
        #expect(throws: RuleStateSnapshotError(.notASnapshot, at: 0)) { try RuleEngineState(snapshot: []) }
    }

    @Test("every cut-short snapshot is refused")
    func everyTruncation() {
        let bytes = Self.full.snapshot()
        for length in 0..<bytes.count {
            #expect(throws: RuleStateSnapshotError.self, "\(length) bytes") {
                try RuleEngineState(snapshot: Array(bytes.prefix(length)))
            }
        }
    }

    @Test("a later version, a wrong length, extra bytes and a damaged byte are each refused with their reason")
    func headerChecks() {
        let bytes = Self.full.snapshot()
        var later = bytes
        later[4] = 2
        #expect(throws: RuleStateSnapshotError(.unsupportedVersion(2), at: 4)) { try RuleEngineState(snapshot: later) }
        #expect(throws: RuleStateSnapshotError(.trailingBytes, at: bytes.count + 1)) {
            try RuleEngineState(snapshot: bytes + [0])
        }
        var damaged = bytes
        damaged[bytes.count / 2] ^= 0x10
        #expect(throws: RuleStateSnapshotError(.checksumMismatch, at: 16)) { try RuleEngineState(snapshot: damaged) }
    }

    @Test("every single damaged byte, anywhere, is refused")
    func everyByteFlip() {
        let bytes = Self.full.snapshot()
        for index in bytes.indices {
            for mask: UInt8 in [0x01, 0x80, 0xFF] {
                var damaged = bytes
                damaged[index] ^= mask
                #expect(throws: RuleStateSnapshotError.self, "byte \(index) ^ \(mask)") {
                    try RuleEngineState(snapshot: damaged)
                }
            }
        }
    }

    @Test("random cuts, flips, insertions and deletions are refused (seeded)")
    func randomDamage() {
        var random = SeededRandom(seed: 2026_11_26)
        let original = Self.full.snapshot()
        for round in 0..<3_000 {
            var bytes = original
            for _ in 0..<Int.random(in: 1...4, using: &random) {
                Self.damage(&bytes, using: &random)
            }
            guard bytes != original else { continue }
            #expect(throws: RuleStateSnapshotError.self, "round \(round)") { try RuleEngineState(snapshot: bytes) }
        }
    }

    @Test("damage behind a valid checksum never crashes the reader: it throws or reads a state (seeded)")
    func damagedPayloadBehindValidChecksum() {
        var random = SeededRandom(seed: 42)
        let original = Self.full.snapshot()
        var refused = 0
        for _ in 0..<5_000 {
            var bytes = original
            for _ in 0..<Int.random(in: 1...6, using: &random) {
                Self.damage(&bytes, using: &random, from: RuleStateSnapshot.headerSize)
            }
            guard bytes.count >= RuleStateSnapshot.headerSize else { continue }
            RuleStateSnapshot.seal(&bytes)
            do {
                _ = try RuleEngineState(snapshot: bytes)
            } catch {
                refused += 1
            }
        }
        #expect(refused > 1_000, "most damage shows up as a bad length, name or flag")
    }

    @Test("a count larger than the bytes left is refused without reserving memory for it")
    func hugeCounts() {
        for payload: [UInt8] in [
            [0xFF, 0xFF, 0xFF, 0xFF],  // names
            [0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0x7F],  // alerts
            [0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF],  // sensors
        ] {
            var bytes = [UInt8](repeating: 0, count: RuleStateSnapshot.headerSize) + payload
            RuleStateSnapshot.seal(&bytes)
            #expect(throws: RuleStateSnapshotError(.truncated, at: bytes.count - 4)) { try RuleEngineState(snapshot: bytes) }
        }
    }

    @Test("a name that is not UTF-8, a name number out of range and unknown codes are refused")
    func badValues() {
        func sealed(_ payload: [UInt8]) -> [UInt8] {
            var bytes = [UInt8](repeating: 0, count: RuleStateSnapshot.headerSize) + payload
            RuleStateSnapshot.seal(&bytes)
            return bytes
        }
        let start = RuleStateSnapshot.headerSize
        #expect(throws: RuleStateSnapshotError(.invalidUTF8, at: start + 4)) {
            try RuleEngineState(snapshot: sealed([1, 0, 0, 0, 2, 0, 0, 0, 0xC0, 0x80, 0, 0, 0, 0, 0, 0, 0, 0]))
        }
        // One sensor "s" with one series whose metric is name 5 of none.
        let series: [UInt8] = [0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0x73, 1, 0, 0, 0, 5, 0, 0, 0] + Array(repeating: 0, count: 17)
        #expect(throws: RuleStateSnapshotError(.unknownName(5), at: start + 21)) {
            try RuleEngineState(snapshot: sealed(series))
        }
        var flags = Array(Self.full.snapshot()[start...])
        // The first alert's presence byte follows its id, rule, sensor, metric, severity, state and time.
        let firstAlert = Self.full.activeAlerts[0]
        let namesSize = 4 + ["night-leak", "flow", "quiet", "pm25", "gone", "", "pressure", "hold", "rate", "spike", "dip", "level"]
            .reduce(0) { $0 + 4 + $1.utf8.count }
        let flagsAt = namesSize + 4 + (4 + firstAlert.id.utf8.count) + 4 + (4 + firstAlert.sensor.utf8.count) + 4 + 1 + 1 + 8
        #expect(flags[flagsAt] == 0b11)
        flags[flagsAt] = 0b111
        #expect(throws: RuleStateSnapshotError(.unknownFlags(0b111), at: start + flagsAt)) {
            try RuleEngineState(snapshot: sealed(flags))
        }
        flags[flagsAt - 10] = 9
        #expect(throws: RuleStateSnapshotError(.unknownSeverity(9), at: start + flagsAt - 10)) {
            try RuleEngineState(snapshot: sealed(flags))
        }
    }

    /// One random change: a cut, a bit or byte flip, an inserted or a deleted byte, at `from` or later.
    static func damage(_ bytes: inout [UInt8], using random: inout SeededRandom, from start: Int = 0) {
        guard bytes.count > start else { return }
        let index = Int.random(in: start..<bytes.count, using: &random)
        switch Int.random(in: 0..<5, using: &random) {
        case 0: bytes.removeSubrange(index...)
        case 1: bytes[index] ^= 1 << UInt8.random(in: 0..<8, using: &random)
        case 2: bytes[index] = UInt8.random(in: 0...255, using: &random)
        case 3: bytes.insert(UInt8.random(in: 0...255, using: &random), at: index)
        default: bytes.remove(at: index)
        }
    }
}
