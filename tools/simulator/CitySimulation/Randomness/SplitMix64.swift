/// Sebastiano Vigna's SplitMix64: a tiny, fast, seedable generator with good statistical quality.
///
/// The simulation never uses the system's random source: the same seed must give the same city,
/// on every machine and every run, so that a demo or a failing test can be replayed.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) {
        state = seed
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return SplitMix64.finalize(state)
    }

    /// A uniform number in 0 ..< 1 with 53 bits of precision.
    public mutating func unit() -> Double {
        Double(next() >> 11) * 0x1p-53
    }

    public mutating func uniform(_ range: ClosedRange<Double>) -> Double {
        range.lowerBound + unit() * (range.upperBound - range.lowerBound)
    }

    /// One of `choices`, picked with the given weights.
    public mutating func pick<T>(_ choices: [(T, weight: Double)]) -> T {
        let total = choices.reduce(0) { $0 + $1.weight }
        var draw = unit() * total
        for (choice, weight) in choices {
            if draw < weight { return choice }
            draw -= weight
        }
        return choices[choices.count - 1].0
    }

    /// The output function: also used on its own as a stateless 64-bit mixer.
    static func finalize(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
