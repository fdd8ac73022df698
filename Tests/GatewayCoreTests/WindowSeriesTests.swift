import Testing

@testable import GatewayCore

/// The open windows know series by number (`SeriesDirectory`): numbers are kept while a series has
/// readings in an open window or in the window closed last, then given to newcomers.
@Suite("Series in the windows")
struct WindowSeriesTests {
    typealias T = WindowTest

    @Test("a series keeps its number across windows, and each metric of a sensor has its own")
    func numbering() {
        var directory = SeriesDirectory()
        let flow = directory.number(sensor: "fes/water/m1", metric: "flow", inWindowStarting: 0)
        let pressure = directory.number(sensor: "fes/water/m1", metric: "pressure", inWindowStarting: 0)
        #expect(flow != pressure)
        #expect(directory.number(sensor: "fes/water/m1", metric: "flow", inWindowStarting: 60_000) == flow)
        #expect(directory.sensor(of: pressure) == "fes/water/m1")
        #expect(directory.metric(of: pressure) == "pressure")
        #expect(directory.count == 2)
    }

    @Test("a series whose newest reading is older than the given window is forgotten, and its number reused")
    func forgetting() {
        var directory = SeriesDirectory()
        let gone = directory.number(sensor: "a", metric: "flow", inWindowStarting: 0)
        let kept = directory.number(sensor: "b", metric: "flow", inWindowStarting: 0)
        _ = directory.number(sensor: "b", metric: "flow", inWindowStarting: 60_000)
        directory.forget(seriesNewestBefore: 60_000)
        #expect(directory.count == 1)
        let newcomer = directory.number(sensor: "c", metric: "level", inWindowStarting: 120_000)
        #expect(newcomer == gone)
        #expect(directory.sensor(of: newcomer) == "c" && directory.metric(of: newcomer) == "level")
        #expect(directory.number(sensor: "b", metric: "flow", inWindowStarting: 120_000) == kept)
        #expect(directory.number(sensor: "a", metric: "flow", inWindowStarting: 120_000) != gone, "a returns as a newcomer")
    }

    @Test("sensors that come and go do not make the windows grow")
    func churn() {
        var windows = WindowAggregator(window: .seconds(60), grace: .seconds(10))
        for minute in Int64(0)..<50 {
            // 100 sensors a minute, each reporting for two minutes only.
            for sensor in 0..<100 {
                let reading = T.reading("s\(minute * 100 + Int64(sensor))", "flow", at: minute * 60 + 30, 1)
                _ = windows.add(reading, now: T.time(minute * 60 + 30))
                _ = windows.add(T.reading("s\((minute - 1) * 100 + Int64(sensor))", "flow", at: minute * 60 + 31, 2), now: T.time(minute * 60 + 31))
            }
        }
        #expect(windows.openWindows == 200)
        #expect(windows.knownSeries <= 300, "the open window's series and the last closed window's")
    }

    @Test("a series that returns after it was forgotten is emitted under its own names, in order")
    func returning() {
        var windows = WindowAggregator(window: .seconds(60), grace: .zero)
        _ = windows.add(T.reading("b", "flow", at: 0, 1), now: T.time(0))
        _ = windows.add(T.reading("a", "flow", at: 1, 2), now: T.time(1))
        // Minute 1: only c; minute 2: a and b are gone, their numbers free.
        _ = windows.add(T.reading("c", "flow", at: 60, 3), now: T.time(60))
        _ = windows.add(T.reading("d", "temp", at: 120, 4), now: T.time(120))
        _ = windows.add(T.reading("b", "flow", at: 121, 5), now: T.time(121))
        _ = windows.add(T.reading("a", "temp", at: 122, 6), now: T.time(122))
        _ = windows.add(T.reading("c", "flow", at: 123, 7), now: T.time(123))
        let emitted = T.emitted(windows.closeAll())
        #expect(emitted.map { "\($0.sensor) \($0.metric) \($0.last)" } == ["a temp 6.0", "b flow 5.0", "c flow 7.0", "d temp 4.0"])
    }

    @Test(
        "with many series coming and going, aggregates equal a brute-force computation",
        arguments: [7, 2027] as [UInt64])
    func churningReference(seed: UInt64) {
        var random = WindowReferenceTests.SeededGenerator(state: seed)
        var arrivals: [WindowReferenceTests.Arrival] = []
        for _ in 0..<3_000 {
            let time = Int64.random(in: 0...900_000, using: &random)
            // Each sensor reports during about three minutes of the fifteen.
            let sensor = Int(time / 60_000) * 4 + Int.random(in: 0..<12, using: &random)
            let metric = ["flow", "temp", "level"].randomElement(using: &random)!
            let delay = Int64.random(in: 0...20_000, using: &random)
            let reading = Reading(
                sensor: "s\(sensor)", metric: metric, time: Timestamp(milliseconds: time),
                value: Double(Int.random(in: -1_000...1_000, using: &random)))
            arrivals.append(.init(reading: reading, now: Timestamp(milliseconds: time + delay)))
        }
        arrivals.sort { $0.now < $1.now }

        var windows = WindowAggregator(window: .seconds(60), grace: .seconds(10))
        var stored: [WindowReferenceTests.Key: Aggregate] = [:]
        func apply(_ actions: [WindowAction]) {
            let order = T.emitted(actions).map { ($0.start, $0.sensor, $0.metric) }
            #expect(zip(order, order.dropFirst()).allSatisfy { $0 < $1 }, "emitted in (start, sensor, metric) order")
            for action in actions {
                switch action {
                case .emit(let aggregate):
                    let key = WindowReferenceTests.Key(sensor: aggregate.sensor, metric: aggregate.metric, start: aggregate.start)
                    #expect(stored[key] == nil, "a window is emitted once")
                    stored[key] = aggregate
                case .late(let reading, let windowStart):
                    let key = WindowReferenceTests.Key(sensor: reading.sensor, metric: reading.metric, start: windowStart)
                    stored[key] = windows.revision(of: stored[key], adding: reading)
                }
            }
        }
        for arrival in arrivals {
            apply(windows.add(arrival.reading, now: arrival.now))
        }
        apply(windows.closeAll())

        let expected = WindowReferenceTests.reference(arrivals, window: 60_000)
        #expect(stored.count == expected.count)
        for (key, aggregate) in expected {
            var got = stored[key]
            got?.rev = 0
            #expect(got == aggregate)
        }
    }
}
