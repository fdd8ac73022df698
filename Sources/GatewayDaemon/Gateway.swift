import Foundation
import GatewayCore
import GatewayStore
import Logging
import MQTTClient
import ServiceLifecycle
import SystemdIntegration
import UnixSignals

/// The running gateway, built from a configuration value.
///
/// `build` turns a checked ``GatewayConfig`` into services in dependency order — the store first,
/// then maintenance, then the rules-and-windows clock, then the uplink to the hubs, then ingest.
/// `GatewayRunner` runs them in a service group until a stop or a reload, which shuts them down in
/// reverse: ingest stops (last batches stored and acknowledged), the hubs get their `offline`
/// status, the clock saves the rule state, maintenance stops, then the store closes.
public struct Gateway: Sendable {
    public let config: GatewayConfig
    public let writer: BufferWriter
    let pipeline: ReadingPipeline
    let sources: [SourceConnection]
    let hubs: [HubLink]
    let services: [any Service]
    let logger: Logger

    public static func build(
        config: GatewayConfig,
        logger: Logger,
        clock: any WallClock = SystemWallClock(),
        secrets: any SecretReader = FileSecretReader(),
        configFingerprint: ConfigFingerprint = ConfigFingerprint(value: 0),
        healthInterval: Duration = .seconds(60),
        watchdog: ProgressWatchdog<ContinuousClock>? = nil,
        onReady: @escaping @Sendable () -> Void = {}
    ) throws -> Gateway {
        guard let zone = SystemTimeZone(identifier: config.gateway.timezone) else {
            throw GatewaySetupError(key: "gateway.timezone", message: "\"\(config.gateway.timezone ?? "")\" is not a time zone this system knows")
        }
        try createDataDirectory(config.gateway.dataDir)
        var writer = try openBuffer(config: config, clock: clock, logger: logger)
        let pipeline: ReadingPipeline
        do {
            pipeline = try ReadingPipeline(config: config, zone: zone, writer: writer, clock: clock, logger: logger)
        } catch where DamagedFile.isDamage(error) {
            // Damage that opening did not reach (restoring reads the buffer's readings). The copy
            // keeps the bytes as found: closing the connection checkpoints the WAL into the file.
            let path = StoreSettings(config: config).path
            let copy = try DamagedFile.copyAside(path, at: clock.now())
            try? writer.close()
            try DamagedFile.remove(path)
            logDamage(path: path, movedTo: copy, reason: "\(error)", logger: logger)
            writer = try BufferWriter(settings: StoreSettings(config: config), logger: logger)
            pipeline = try ReadingPipeline(config: config, zone: zone, writer: writer, clock: clock, logger: logger)
        }
        let rateLimitedLog = RateLimitedLog()
        var sources: [SourceConnection] = []
        for source in config.sources {
            var sourceLogger = logger
            sourceLogger[metadataKey: "source.name"] = "\(source.name)"
            let batches = SourceBatchStore(
                source: source.name,
                decoder: PayloadDecoder(source: source),
                pipeline: pipeline, clock: clock, logger: sourceLogger, rateLimitedLog: rateLimitedLog
            )
            let options = try MQTTClientOptions(source: source, gatewayID: config.gateway.id, secrets: secrets)
            sources.append(SourceConnection(
                config: source, options: options, batches: batches,
                heartbeat: watchdog?.heartbeat("ingest \(source.name)"), logger: sourceLogger
            ))
        }
        try writer.registerHubs(config.hubs.map(\.name))
        let identity = GatewayIdentity(gateway: config.gateway.id, started: clock.now(), configFingerprint: configFingerprint)
        let presence = HubPresence(
            identity: identity,
            health: HealthSource(databasePath: databasePath(for: config), hubs: config.hubs, logger: logger)
        )
        var hubs: [HubLink] = []
        for hub in config.hubs {
            var hubLogger = logger
            hubLogger[metadataKey: "hub.name"] = "\(hub.name)"
            let options = try MQTTClientOptions(hub: hub, gatewayID: config.gateway.id, secrets: secrets)
            hubs.append(HubLink(
                config: hub, options: options, gatewayID: config.gateway.id, writer: writer, presence: presence,
                clock: clock, healthInterval: healthInterval, logger: hubLogger
            ))
        }
        let services: [any Service] = [
            StoreService(writer: writer, logger: logger),
            MaintenanceService(writer: writer, clock: clock, interval: .seconds(5), heartbeat: watchdog?.heartbeat("store"), logger: logger),
            EvaluationService(pipeline: pipeline, tickInterval: .seconds(1), snapshotInterval: .seconds(300), logger: logger),
            UplinkService(links: hubs, logger: logger),
            IngestService(sources: sources, logger: logger, onReady: onReady),
        ]
        return Gateway(config: config, writer: writer, pipeline: pipeline, sources: sources, hubs: hubs, services: services, logger: logger)
    }
}

/// Opens the buffer; a damaged file (truncated, overwritten) is moved aside with a loud log line and
/// the gateway starts on a fresh one, since a gateway that refuses to start buffers nothing at all.
func openBuffer(config: GatewayConfig, clock: any WallClock, logger: Logger) throws -> BufferWriter {
    let settings = StoreSettings(config: config)
    do {
        return try BufferWriter(settings: settings, logger: logger)
    } catch StoreError.corrupt(let path, let reason) {
        return try startAfresh(path, reason: reason, config: config, clock: clock, logger: logger)
    }
}

/// Moves the damaged buffer at `path` aside and opens a fresh one in its place.
private func startAfresh(_ path: String, reason: String, config: GatewayConfig, clock: any WallClock, logger: Logger) throws -> BufferWriter {
    logDamage(path: path, movedTo: try DamagedFile.moveAside(path, at: clock.now()), reason: reason, logger: logger)
    return try BufferWriter(settings: StoreSettings(config: config), logger: logger)
}

private func logDamage(path: String, movedTo: String, reason: String, logger: Logger) {
    logger.critical("the buffer database is damaged: moved it aside and starting with an empty one; readings, alerts and aggregates in it are not sent", metadata: [
        "buffer.path": "\(path)", "buffer.moved_to": "\(movedTo)", "buffer.error": "\(reason)",
    ])
}

/// systemd's `StateDirectory=` creates the data directory; a hand-started daemon creates it itself,
/// readable by its owner and group only (the buffer holds the city's data).
func createDataDirectory(_ path: String) throws {
    do {
        try FileManager.default.createDirectory(
            atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o750]
        )
    } catch {
        throw GatewaySetupError(key: "gateway.data_dir", message: "cannot create \(path): \(error.localizedDescription)")
    }
}

/// The database file inside the data directory.
public func databasePath(for config: GatewayConfig) -> String {
    "\(config.gateway.dataDir)/streetgate.db"
}

extension StoreSettings {
    init(config: GatewayConfig) {
        self.init(
            path: databasePath(for: config),
            sync: config.buffer.sync,
            maxSize: config.buffer.maxSize,
            retention: config.buffer.retention,
            deadLetterLimit: config.buffer.deadLetters,
            statsFlushInterval: .seconds(10)
        )
    }
}
