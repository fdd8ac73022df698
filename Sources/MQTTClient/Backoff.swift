/// Exponential reconnect delay with jitter, so a fleet of gateways does not reconnect in lockstep
/// after a broker restart.
public struct Backoff: Sendable, Hashable {
    public var minimum: Duration
    public var maximum: Duration
    /// Fraction of the delay that is randomised: 0.25 gives a delay in [0.75 d, 1.25 d].
    public var jitter: Double

    public init(minimum: Duration = .milliseconds(500), maximum: Duration = .seconds(30), jitter: Double = 0.25) {
        self.minimum = minimum
        self.maximum = maximum
        self.jitter = jitter
    }

    /// The delay before attempt `failures + 1`, given a random number in 0..<1.
    public func delay(afterFailures failures: Int, random: Double) -> Duration {
        let exponent = min(max(failures - 1, 0), 30)
        let base = min(minimum * (1 << exponent), maximum)
        let factor = 1 - jitter + 2 * jitter * random
        return min(base * factor, maximum)
    }
}
