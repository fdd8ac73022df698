import Foundation

/// The benchmark city of `tools/bench/city-rules.toml`, as traffic: sensor `n` is in domain
/// `n % 5` and in `fes` or `rabat` by `n / 5 % 2`, and reports its five metrics in turn (the
/// domain's two, then temperature, battery and rssi) around the levels of
/// `tools/bench/rules/CityModel.swift`.
///
/// Values drift slowly (half the metric's noise, over an hour) with a little jitter, so that a
/// series read every second changes per minute as one read every minute would, and the `rate`,
/// `flatline` and `outlier` rules see plausible data; about one reading in 5,000 is a spike.
///
/// bench-ingest, bench-startup and bench-soak share it through BenchSupport.
public enum City {
    public struct Metric: Sendable {
        public let name: String
        public let base: Double
        public let noise: Double
    }

    public static let domains: [(name: String, device: String, metrics: [Metric])] = [
        ("water", "meter", [Metric(name: "flow", base: 1.5, noise: 0.2), Metric(name: "pressure", base: 3, noise: 0.05)]),
        ("waste", "bin", [Metric(name: "fill", base: 50, noise: 2), Metric(name: "tilt", base: 2, noise: 0.3)]),
        ("light", "lamp", [Metric(name: "power", base: 90, noise: 3), Metric(name: "lux", base: 40, noise: 5)]),
        ("air", "station", [Metric(name: "pm25", base: 20, noise: 4), Metric(name: "no2", base: 35, noise: 6)]),
        ("traffic", "loop", [Metric(name: "count", base: 25, noise: 6), Metric(name: "speed", base: 45, noise: 8)]),
    ]
    public static let shared = [
        Metric(name: "temperature", base: 18, noise: 0.4), Metric(name: "battery", base: 3.9, noise: 0.01),
        Metric(name: "rssi", base: -85, noise: 4),
    ]
    public static let metricsPerSensor = 5

    /// `fes/water/meter-0042`: what the source's default `sensor` template makes of the topic.
    public static func sensor(_ n: Int) -> String {
        let domain = domains[n % domains.count]
        return "\(n / 5 % 2 == 0 ? "fes" : "rabat")/\(domain.name)/\(domain.device)-\(String(n / 5 + 10_000).dropFirst())"
    }

    /// The `k`-th metric of sensor `n` (`k` modulo 5).
    public static func metric(_ n: Int, _ k: Int) -> Metric {
        let own = domains[n % domains.count].metrics
        let index = k % metricsPerSensor
        return index < own.count ? own[index] : shared[index - own.count]
    }

    /// Series `series` (any number that tells series apart) of `metric` at `time` seconds.
    public static func value(_ metric: Metric, series: Int, at time: Double, using random: inout some RandomNumberGenerator) -> Double {
        let phase = Double(series % 997) / 997 * 2 * Double.pi
        var value = metric.base + 0.5 * metric.noise * sin(2 * Double.pi * time / 3_600 + phase)
        value += 0.02 * metric.noise * Double.random(in: -1...1, using: &random)
        if Int.random(in: 0..<5_000, using: &random) == 0 { value += 40 * metric.noise }
        return (value * 1_000).rounded() / 1_000
    }
}

/// SplitMix64: a small deterministic generator, so every run sees the same city.
public struct SplitMix64: RandomNumberGenerator {
    public var state: UInt64

    public init(state: UInt64) {
        self.state = state
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
