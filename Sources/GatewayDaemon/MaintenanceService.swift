import GatewayStore
import Logging
import ServiceLifecycle
import SystemdIntegration

/// Keeps the buffer inside its bounds: retention, size, series statistics flush, every few seconds.
struct MaintenanceService: Service {
    let writer: BufferWriter
    let clock: any WallClock
    let interval: Duration
    /// Beats as a maintenance pass starts and idles once it returned, so it goes stale only while a
    /// pass hangs: the writer wedged on its lock or its disk.
    let heartbeat: Heartbeat?
    let logger: Logger

    func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            heartbeat?.beat()
            do {
                let report = try writer.maintain(now: clock.now())
                if report.expired > 0 {
                    logger.info("deleted readings past retention", metadata: ["buffer.expired": "\(report.expired)"])
                }
            } catch {
                logger.error("buffer maintenance failed", metadata: ["buffer.error": "\(error)"])
            }
            heartbeat?.idle()
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
        heartbeat?.retire()
    }
}

/// Owns the writer's lifetime: first in the service group, so it closes last, after ingest stopped.
struct StoreService: Service {
    let writer: BufferWriter
    let logger: Logger

    func run() async throws {
        try? await gracefulShutdown()
        do {
            try writer.close()
            logger.info("buffer closed")
        } catch {
            logger.error("closing the buffer failed", metadata: ["buffer.error": "\(error)"])
        }
    }
}
