import Logging
import ServiceLifecycle

/// Drives the pipeline's clock: every second, `silent` sensors, hold times and windows falling due;
/// every few minutes, a snapshot of the rule engine (and one more at shutdown).
struct EvaluationService: Service {
    let pipeline: ReadingPipeline
    let tickInterval: Duration
    let snapshotInterval: Duration
    let logger: Logger

    func run() async throws {
        var sinceSnapshot = Duration.zero
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: tickInterval) }
            do {
                try pipeline.tick()
            } catch {
                logger.error("evaluating rules and windows failed", metadata: ["error": "\(error)"])
            }
            sinceSnapshot += tickInterval
            if sinceSnapshot >= snapshotInterval {
                sinceSnapshot = .zero
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
