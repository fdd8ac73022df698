import GatewayCore

/// The benchmark's city: sensors, their metrics and plausible readings, and 50 rules over them.
struct CityModel {
    struct Domain {
        var name: String
        var device: String
        /// Five metrics: the domain's two own ones, then temperature, battery and rssi.
        var metrics: [String]
        /// Per metric: typical level, noise, and the step the sensor reports in.
        var levels: [(base: Double, noise: Double, step: Double)]

        /// How far one sensor's level sits from another's.
        var spreads: [Double] { levels.map { $0.base * 0.15 } }
    }

    static let domains = [
        Domain(
            name: "water", device: "meter", metrics: ["flow", "pressure"], levels: [(1.5, 0.2, 0.01), (3, 0.05, 0.01)]),
        Domain(name: "waste", device: "bin", metrics: ["fill", "tilt"], levels: [(50, 2, 1), (2, 0.3, 0.1)]),
        Domain(name: "light", device: "lamp", metrics: ["power", "lux"], levels: [(90, 3, 1), (40, 5, 1)]),
        Domain(name: "air", device: "station", metrics: ["pm25", "no2"], levels: [(20, 4, 1), (35, 6, 1)]),
        Domain(name: "traffic", device: "loop", metrics: ["count", "speed"], levels: [(25, 6, 1), (45, 8, 1)]),
    ]
    static let shared: [(metric: String, base: Double, noise: Double, step: Double, spread: Double)] = [
        ("temperature", 18, 0.4, 0.1, 3), ("battery", 3.9, 0.01, 0.01, 0.1), ("rssi", -85, 4, 1, 8),
    ]
    static let cities = ["fes", "rabat"]

    struct Series {
        var sensor: String
        var metric: String
        var base: Double
        var noise: Double
        var step: Double
        var spread: Double

        init(_ sensor: String, _ metric: String, _ base: Double, _ noise: Double, _ step: Double, _ spread: Double) {
            (self.sensor, self.metric) = (sensor, metric)
            (self.base, self.noise, self.step, self.spread) = (base, noise, step, spread)
        }
    }

    let sensors: [String]
    let series: [Series]

    init() {
        var sensors: [String] = []
        var series: [Series] = []
        for domain in Self.domains {
            for number in 0..<RulesBenchmark.sensorsPerDomain {
                let city = Self.cities[number % 2]
                let sensor = "\(city)/\(domain.name)/\(domain.device)-\(String(number + 10_000).dropFirst())"
                sensors.append(sensor)
                for (metric, (level, spread)) in zip(domain.metrics, zip(domain.levels, domain.spreads)) {
                    series.append(Series(sensor, metric, level.base, level.noise, level.step, spread))
                }
                for level in Self.shared {
                    series.append(Series(sensor, level.metric, level.base, level.noise, level.step, level.spread))
                }
            }
        }
        self.sensors = sensors
        self.series = series
    }

    /// One reading per series, with its own copies of the names.
    func readingTemplates() -> [Reading] {
        series.map { series in
            Reading(
                sensor: String(decoding: Array(series.sensor.utf8), as: UTF8.self),
                metric: String(decoding: Array(series.metric.utf8), as: UTF8.self),
                time: RulesBenchmark.start, value: 0)
        }
    }

    /// Every series' value at each minute, minute after minute; NaN where a sensor is quiet.
    /// Planted: a spike in about 1 reading in 5,000, 1% of series stuck, 0.5% of sensors going quiet
    /// after 20 minutes.
    func values(minutes: Int) -> [Double] {
        var random = SplitMix64(state: 2026)
        let offsets = series.map { $0.spread * Double.random(in: -1...1, using: &random) }
        var values: [Double] = []
        values.reserveCapacity(minutes * series.count)
        for minute in 0..<minutes {
            for (index, series) in series.enumerated() {
                let sensorNumber = index / 5
                if minute > 20, sensorNumber % 200 == 7 {
                    values.append(.nan)
                    continue
                }
                var value = series.base + offsets[index]
                if index % 100 != 3 {
                    value += series.noise * Double.random(in: -1...1, using: &random)
                    if Int.random(in: 0..<5_000, using: &random) == 0 { value += series.noise * 40 }
                }
                values.append((value / series.step).rounded() * series.step)
            }
        }
        return values
    }

    /// 50 rules: 5 over every sensor, 9 for each domain.
    func rules() -> [RuleConfig] {
        func make(
            _ name: String, _ sensors: String, _ metric: String, _ when: RuleCondition, threshold: Double? = nil,
            clear: Double? = nil, minutes: Int? = nil, during: String? = nil, severity: AlertSeverity = .major
        ) -> RuleConfig {
            RuleConfig(
                name: name, sensors: try! TopicFilter(sensors), metric: metric, when: when, threshold: threshold,
                clear: clear, duration: minutes.map { .seconds($0 * 60) },
                during: during.flatMap(TimeOfDayRange.init(parsing:)), severity: severity)
        }
        var rules = [
            make("battery-low", "#", "battery", .below, threshold: 3.5, clear: 3.6, severity: .minor),
            make("battery-silent", "#", "battery", .silent, minutes: 10),
            make("radio-weak", "+/+/+", "rssi", .below, threshold: -115, minutes: 5, severity: .info),
            make("cabinet-hot", "#", "temperature", .above, threshold: 60, clear: 50, severity: .critical),
            make("temperature-odd", "+/+/+", "temperature", .outlier, threshold: 5, severity: .info),
        ]
        for domain in Self.domains {
            let (first, second) = (domain.metrics[0], domain.metrics[1])
            let (base, noise) = (domain.levels[0].base, domain.levels[0].noise)
            let all = "+/\(domain.name)/+"
            rules += [
                make("\(first)-high", all, first, .above, threshold: base + 6 * noise, clear: base + 4 * noise,
                     minutes: 10),
                make("\(first)-very-high", all, first, .above, threshold: base + 20 * noise, severity: .critical),
                make("\(first)-low", all, first, .below, threshold: base - 8 * noise),
                make("\(first)-jump", all, first, .rate, threshold: 10 * noise),
                make("\(first)-stuck", all, first, .flatline, minutes: 15),
                make("\(first)-odd", "fes/\(domain.name)/#", first, .outlier, threshold: 5),
                make("\(second)-night", all, second, .above, threshold: domain.levels[1].base * 1.5,
                     during: "22:00-06:00"),
                make("\(second)-jump", all, second, .rate, threshold: 10 * domain.levels[1].noise),
                make("\(second)-silent", "rabat/\(domain.name)/+", second, .silent, minutes: 5),
            ]
        }
        return rules
    }
}

/// SplitMix64: a small deterministic generator, so every run sees the same city.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
