import GatewayCore
import GatewayStore
import Logging
import ServiceLifecycle
import SystemdIntegration

/// Keeps systemd's one-line `STATUS=` current (what `systemctl status streetgate` shows): sensors,
/// readings, buffer, and the hubs' connections and backlog.
struct StatusLineService: Service {
    let config: GatewayConfig
    let notifier: ServiceNotifier
    let interval: Duration
    let logger: Logger

    func run() async throws {
        guard notifier.isEnabled else {
            try? await gracefulShutdown()  // a service that returns early would stop the group
            return
        }
        let maxBatch = Dictionary(config.hubs.map { ($0.name, $0.maxBatch) }, uniquingKeysWith: { first, _ in first })
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            guard !Task.isShuttingDownGracefully, let line = try? statusLine(maxBatch: maxBatch) else { continue }
            try? notifier.notify(.status(line))
        }
    }

    private func statusLine(maxBatch: [String: Int]) throws -> String {
        let reader = try BufferReader(path: databasePath(for: config))
        let figures = try reader.healthFigures()
        var line = "\(figures.readingsIn) readings in, \(figures.rows) buffered"
        let hubs = try reader.hubDeliveries(maxBatch: maxBatch, only: Set(maxBatch.keys))
        if !hubs.isEmpty {
            let connected = hubs.filter(\.connected).count
            let backlog = hubs.reduce(0) { $0 + $1.backlogBatches }
            line += "; hubs \(connected)/\(hubs.count) connected, backlog \(backlog) batches"
        }
        let deadLetters = figures.deadLettersByReason.values.reduce(0, +)
        if deadLetters > 0 { line += "; \(deadLetters) dead letters" }
        return line
    }
}
