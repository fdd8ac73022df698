import GatewayCore
import GatewayStore
import Logging

/// Who this gateway is, as hubs see it: the `status` payloads (online, offline, and the will) and
/// the `health` report.
struct HubPresence: Sendable {
    let identity: GatewayIdentity
    let health: HealthSource

    var gateway: String { identity.gateway }

    func online(at now: Timestamp) -> [UInt8] {
        status(.online, at: now)
    }

    func offline(at now: Timestamp) -> [UInt8] {
        status(.offline, at: now)
    }

    /// Registered at connect time, so it cannot say when it is published: no `at`.
    func will() -> [UInt8] {
        status(.offline, at: nil)
    }

    func health(at now: Timestamp) -> [UInt8]? {
        health.report(identity: identity, at: now).map { Array(UplinkPayloads.health($0).utf8) }
    }

    private func status(_ state: GatewayStatusInfo.State, at: Timestamp?) -> [UInt8] {
        Array(UplinkPayloads.status(GatewayStatusInfo(
            gateway: identity.gateway, state: state, version: identity.version, started: identity.started,
            configHash: identity.configFingerprint, at: at
        )).utf8)
    }
}

/// The gateway's identity in its uplink: id, version, when it started, and which configuration.
public struct GatewayIdentity: Sendable {
    public var gateway: String
    public var version: String
    public var started: Timestamp
    public var configFingerprint: ConfigFingerprint

    public init(gateway: String, version: String = StreetGateVersion.current, started: Timestamp, configFingerprint: ConfigFingerprint) {
        self.gateway = gateway
        self.version = version
        self.started = started
        self.configFingerprint = configFingerprint
    }
}

/// Reads the figures of a `health` report from the buffer, read-only, beside the writer.
final class HealthSource: Sendable {
    private let databasePath: String
    private let maxBatch: [String: Int]
    private let logger: Logger

    init(databasePath: String, hubs: [HubConfig], logger: Logger) {
        self.databasePath = databasePath
        self.maxBatch = Dictionary(hubs.map { ($0.name, $0.maxBatch) }, uniquingKeysWith: { first, _ in first })
        self.logger = logger
    }

    /// nil when the buffer cannot be read just now (logged); the next report tries again.
    func report(identity: GatewayIdentity, at now: Timestamp) -> HealthReport? {
        do {
            let reader = try BufferReader(path: databasePath)
            let figures = try reader.healthFigures()
            let deliveries = try reader.hubDeliveries(maxBatch: maxBatch, only: Set(maxBatch.keys))
            var dropped = figures.dropped
            for delivery in deliveries {
                dropped["hub.\(delivery.name).aggregates_unsent"] = delivery.droppedAggregates
                dropped["hub.\(delivery.name).alerts_unsent"] = delivery.droppedAlerts
            }
            return HealthReport(
                gateway: identity.gateway, at: now,
                uptimeSeconds: Int(max(0, now.milliseconds - identity.started.milliseconds) / 1000),
                readingsIn: figures.readingsIn, readingsDuplicate: figures.readingsDuplicate,
                deadLetters: figures.deadLettersByReason, bufferRows: figures.rows, bufferBytes: figures.bytes,
                bufferOldest: figures.oldestReading,
                hubs: deliveries.map { delivery in
                    HealthReport.Hub(
                        name: delivery.name, connected: delivery.connected, backlogBatches: delivery.backlogBatches,
                        backlogAggregates: delivery.pendingAggregates, oldestBacklog: delivery.oldestPending,
                        lastAck: delivery.lastAck, nextSeq: delivery.nextSeq
                    )
                },
                dropped: dropped
            )
        } catch {
            logger.warning("uplink: cannot read the buffer's figures for the health report", metadata: ["error": "\(error)"])
            return nil
        }
    }
}
