import Logging
import ServiceLifecycle

/// Drives the pipeline's clock: every second, `silent` sensors, hold times and windows falling due;
/// every few minutes, a snapshot of the rule engine (and one more at shutdown).
///
/// When restoring fed stored readings to the rules again (a first start, or a start after a
/// SIGKILL), the first snapshot comes `catchUpSnapshotAfter` the start rather than after a whole
/// interval, so that another SIGKILL soon after does not cost the same replay again.
struct EvaluationService: Service {
    let pipeline: ReadingPipeline
    let tickInterval: Duration
    let snapshotInterval: Duration
    var catchUpSnapshotAfter = Duration.seconds(2)
    let logger: Logger

    func run() async throws {
        var untilSnapshot = pipeline.rulesReplayedReadings ? catchUpSnapshotAfter : snapshotInterval
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: tickInterval) }
            do {
                try pipeline.tick()
            } catch {
                logger.error("evaluating rules and windows failed", metadata: ["error": "\(error)"])
            }
            untilSnapshot -= tickInterval
            if untilSnapshot <= .zero {
                untilSnapshot = snapshotInterval
                saveSnapshot()
            }
        }
        saveSnapshot()
    }

    private func saveSnapshot() {
        do {
            try pipeline.snapshotRules()
        } catch {
            logger.error("saving the rule state failed", metadata: ["error": "\(error)"])
        }
    }
}
