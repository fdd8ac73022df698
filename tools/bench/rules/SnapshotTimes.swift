import GatewayCore

/// How long saving and restoring a rule engine's state take, step by step, as the daemon does it:
/// `snapshot()` writes the bytes straight from the engine under the pipeline's lock; a start
/// decodes them and builds an engine from them. Medians of `runs`, in milliseconds.
struct SnapshotTimes {
    var bytes = 0
    var saving = 0.0
    var decoding = 0.0
    var restoring = 0.0

    static func measure(_ engine: RuleEngine, rules: [RuleConfig], runs: Int) throws -> SnapshotTimes {
        let clock = ContinuousClock()
        var saving: [Double] = []
        var decoding: [Double] = []
        var restoring: [Double] = []
        var bytes: [UInt8] = []
        for _ in 0..<runs {
            saving.append(milliseconds(clock.measure { bytes = engine.snapshot() }))
            var decoded = RuleEngineState.empty
            decoding.append(milliseconds(try clock.measure { decoded = try RuleEngineState(snapshot: bytes) }))
            var restored: RuleEngine?
            restoring.append(milliseconds(clock.measure {
                restored = RuleEngine(rules: rules, zone: FixedOffsetZone(secondsEast: 3600), restoring: decoded)
            }))
            precondition(restored?.state == engine.state, "the state must survive its snapshot")
        }
        return SnapshotTimes(
            bytes: bytes.count, saving: RulesBenchmark.median(saving), decoding: RulesBenchmark.median(decoding),
            restoring: RulesBenchmark.median(restoring))
    }

    private static func milliseconds(_ duration: Duration) -> Double {
        RulesBenchmark.nanoseconds(duration) / 1e6
    }
}
