import Testing

@testable import GatewayCore

@Suite("Rules: the engine")
struct RuleEngineTests: RuleTesting {
    @Test("an alert's id is the rule, the sensor and the raise time, the same on raise and clear")
    func ids() throws {
        var bench = RuleBench(rule("hot-bin", .above, sensors: "+/waste/+", metric: "temperature", threshold: 60))
        let raised = try #require(bench.read(75, at: minute(3), sensor: "fes/waste/bin-12", metric: "temperature").raises.first)
        #expect(raised.id == "hot-bin/fes/waste/bin-12/\(minute(3).milliseconds)")
        #expect(raised.id == AlertEvent.id(rule: "hot-bin", sensor: "fes/waste/bin-12", raisedAt: minute(3)))
        let cleared = try #require(bench.read(20, at: minute(9), sensor: "fes/waste/bin-12", metric: "temperature").clears.first)
        #expect(cleared.id == raised.id)
    }

    @Test("one reading's actions come in the order of the rules")
    func ruleOrder() {
        var bench = RuleBench(rule("z", .above, threshold: 1), rule("a", .above, threshold: 2), rule("m", .below, threshold: 100))
        #expect(bench.read(5, at: minute(0)).map(\.event.rule) == ["z", "a", "m"])
    }

    @Test("every series is tracked once, whatever rules match it; an engine without rules keeps nothing")
    func seriesTracking() {
        var bench = RuleBench(rule(.above, sensors: "+/water/+", threshold: 2))
        for round in 0..<3 {
            for sensor in ["a/water/1", "a/waste/1", "b/water/2"] {
                for metric in ["flow", "battery"] {
                    bench.read(1, at: minute(Double(round)), sensor: sensor, metric: metric)
                }
            }
        }
        #expect(bench.engine.trackedSeries == 6)

        var idle = RuleBench(rules: [])
        idle.read(1, at: minute(0))
        #expect(idle.engine.trackedSeries == 0)
        #expect(idle.tick(minute(1000)).isEmpty)
    }

    @Test("the clock has nothing to do before the earliest deadline")
    func deadlines() {
        var bench = RuleBench(rule(.silent, for: .seconds(600)), rule("level", .above, threshold: 2, for: .seconds(300)))
        #expect(bench.engine.earliestDeadline == .max)
        bench.read(3, at: minute(0))
        #expect(bench.engine.earliestDeadline == minute(5).milliseconds)
        #expect(bench.tick(minute(5)).summary == ["raise level fes/water/meter-1 @5"])
        #expect(bench.engine.earliestDeadline == minute(10).milliseconds)
        #expect(bench.tick(minute(10)).summary == ["raise r fes/water/meter-1 @10"])
        #expect(bench.engine.earliestDeadline == .max, "nothing left for the clock")
    }

    /// The rules of the mixed test, said the plain way: one alert per (rule, series), raised and
    /// cleared by these comparisons.
    struct Reference {
        var active: [String: String] = [:]
        var previous: [String: (time: Int64, value: Double)] = [:]

        mutating func judge(_ rule: RuleConfig, _ reading: Reading) -> RuleAction? {
            guard rule.metric == reading.metric, rule.sensors.matches(reading.sensor) else { return nil }
            let key = "\(rule.name)|\(reading.sensor)|\(reading.metric)"
            let threshold = rule.threshold!
            let clear = rule.clear ?? threshold
            var crossed = false
            var cleared = false
            switch rule.when {
            case .above: (crossed, cleared) = (reading.value > threshold, reading.value <= clear)
            case .below: (crossed, cleared) = (reading.value < threshold, reading.value >= clear)
            case .rate:
                defer { previous[key] = (reading.time.milliseconds, reading.value) }
                guard let last = previous[key], reading.time.milliseconds > last.time else { return nil }
                let perMinute = abs(reading.value - last.value) * 60_000 / Double(reading.time.milliseconds - last.time)
                (crossed, cleared) = (perMinute > threshold, perMinute <= threshold)
            default: return nil
            }
            var event = AlertEvent(
                id: "", rule: rule.name, sensor: reading.sensor, metric: reading.metric, severity: rule.severity,
                state: .raised, at: reading.time, value: reading.value, threshold: threshold)
            if let id = active[key] {
                guard cleared else { return nil }
                active[key] = nil
                event.id = id
                event.state = .cleared
                return .clear(event)
            }
            guard crossed else { return nil }
            event.id = AlertEvent.id(rule: rule.name, sensor: reading.sensor, raisedAt: reading.time)
            active[key] = event.id
            return .raise(event)
        }
    }

    @Test("many rules over many sensors give exactly the alerts of each rule judged on its own")
    func manyRulesAndSensors() {
        let domains = ["water", "waste", "light"]
        let metrics = ["flow", "level", "battery", "temperature"]
        var rules: [RuleConfig] = []
        for (index, metric) in metrics.enumerated() {
            rules.append(rule("\(metric)-high", .above, sensors: "+/\(domains[index % 3])/+", metric: metric, threshold: 80, clear: 70))
            rules.append(rule("\(metric)-low", .below, metric: metric, threshold: 10))
            rules.append(rule("\(metric)-jump", .rate, sensors: "fes/#", metric: metric, threshold: 60))
            rules.append(rule("\(metric)-any", .above, sensors: "+/+/+", metric: metric, threshold: 95, severity: .info))
        }
        var engine = RuleEngine(rules: rules, zone: FixedOffsetZone.utc)
        var reference = Reference()
        var random = SeededRandom(seed: 42)
        let cities = ["fes", "rabat"]
        var expected: [RuleAction] = []
        var actual: [RuleAction] = []
        for step in 0..<20_000 {
            let sensor = "\(cities[step % 2])/\(domains[Int.random(in: 0..<3, using: &random)])/d\(Int.random(in: 0..<40, using: &random))"
            let metric = metrics[Int.random(in: 0..<4, using: &random)]
            let reading = Reading(
                sensor: sensor, metric: metric, time: minute(Double(step) / 10),
                value: Double(Int.random(in: 0...100, using: &random)))
            actual += engine.observe(reading)
            expected += rules.compactMap { reference.judge($0, reading) }
        }
        #expect(actual.count == expected.count)
        #expect(actual == expected)
        #expect(actual.raises.count > 1_000 && actual.clears.count > 1_000)
        #expect(engine.activeAlerts.count == reference.active.count)
        #expect(engine.trackedSeries == 2 * 3 * 40 * 4)
    }
}
