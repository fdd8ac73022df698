import Testing

@testable import GatewayCore

/// Seeded random readings, out of order and sometimes late, compared with a brute-force reference.
@Suite("Windows against a reference")
struct WindowReferenceTests {
    typealias T = WindowTest

    /// SplitMix64: a small deterministic generator, so every run sees the same readings.
    struct SeededGenerator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    struct Key: Hashable {
        var sensor: String
        var metric: String
        var start: Timestamp
    }

    /// A reading and the clock when it arrived.
    struct Arrival {
        var reading: Reading
        var now: Timestamp
    }

    /// Readings of a few series over about ten windows, arriving up to 20 s after their time (the
    /// grace is 10 s, so some are late) and, now and then, from a clock 5 minutes fast.
    static func arrivals(seed: UInt64, count: Int) -> [Arrival] {
        var random = SeededGenerator(state: seed)
        let series = [("a", "flow"), ("a", "temp"), ("b", "flow"), ("c/d", "level")]
        var arrivals: [Arrival] = []
        for _ in 0..<count {
            let (sensor, metric) = series.randomElement(using: &random)!
            let time = Int64.random(in: -300_000...300_000, using: &random)
            let delay = Int64.random(in: 0...20_000, using: &random)
            let skew: Int64 = Int.random(in: 0..<50, using: &random) == 0 ? 300_000 : 0
            // Integers: sums are exact in any order.
            let value = Double(Int.random(in: -1_000...1_000, using: &random))
            let reading = Reading(
                sensor: sensor, metric: metric, time: Timestamp(milliseconds: time + skew), value: value)
            arrivals.append(Arrival(reading: reading, now: Timestamp(milliseconds: time + delay)))
        }
        return arrivals.sorted { $0.now < $1.now }
    }

    /// Every window of every series from all readings at once; last by greatest time, then arrival.
    static func reference(_ arrivals: [Arrival], window: Int64) -> [Key: Aggregate] {
        var result: [Key: Aggregate] = [:]
        for arrival in arrivals {
            let reading = arrival.reading
            let start = Timestamp(milliseconds: reading.time.milliseconds.floorDivided(by: window) * window)
            let key = Key(sensor: reading.sensor, metric: reading.metric, start: start)
            if let current = result[key] {
                var next = current
                next.count += 1
                next.min = min(current.min, reading.value)
                next.max = max(current.max, reading.value)
                next.sum += reading.value
                if reading.time >= current.lastTime {
                    next.last = reading.value
                    next.lastTime = reading.time
                }
                result[key] = next
            } else {
                result[key] = Aggregate(
                    sensor: reading.sensor, metric: reading.metric, start: start, windowSeconds: Int(window / 1_000),
                    count: 1, min: reading.value, max: reading.value, sum: reading.value, last: reading.value,
                    lastTime: reading.time, rev: 0)
            }
        }
        return result
    }

    @Test(
        "aggregates, emitted and revised as the service would, equal a brute-force computation",
        arguments: [1, 2, 3, 42, 2026] as [UInt64])
    func matchesReference(seed: UInt64) {
        let arrivals = Self.arrivals(seed: seed, count: 2_000)
        var windows = WindowAggregator(window: .seconds(60), grace: .seconds(10))
        var stored: [Key: Aggregate] = [:]
        var lateCount = 0
        var clock = Timestamp(milliseconds: .min)

        func apply(_ actions: [WindowAction]) {
            let emitted = T.emitted(actions)
            let order = emitted.map { ($0.start, $0.sensor, $0.metric) }
            #expect(zip(order, order.dropFirst()).allSatisfy { $0 < $1 }, "emitted in (start, sensor, metric) order")
            for action in actions {
                switch action {
                case .emit(let aggregate):
                    let key = Key(sensor: aggregate.sensor, metric: aggregate.metric, start: aggregate.start)
                    #expect(stored[key] == nil, "a window is emitted once")
                    #expect(aggregate.rev == 0 && aggregate.count > 0)
                    #expect(aggregate.start.milliseconds + 70_000 <= clock.milliseconds, "not before its close time")
                    stored[key] = aggregate
                case .late(let reading, let windowStart):
                    lateCount += 1
                    #expect(windowStart.milliseconds + 70_000 <= clock.milliseconds, "late only after the close time")
                    let key = Key(sensor: reading.sensor, metric: reading.metric, start: windowStart)
                    stored[key] = windows.revision(of: stored[key], adding: reading)
                }
            }
            if let open = windows.earliestOpenStart {
                #expect(windows.closedBefore <= open, "the watermark never passes an open window")
            }
        }

        for (index, arrival) in arrivals.enumerated() {
            let before = windows.closedBefore
            clock = arrival.now
            if index % 7 == 0 { apply(windows.tick(now: arrival.now)) }
            apply(windows.add(arrival.reading, now: arrival.now))
            #expect(windows.closedBefore >= before)
        }
        clock = Timestamp(milliseconds: .max)
        apply(windows.closeAll())

        let expected = Self.reference(arrivals, window: 60_000)
        #expect(lateCount > 0, "the data has late readings")
        #expect(stored.count == expected.count)
        for (key, aggregate) in expected {
            var got = stored[key]
            got?.rev = 0
            #expect(got == aggregate)
        }
        #expect(windows.openWindows == 0)
    }
}
