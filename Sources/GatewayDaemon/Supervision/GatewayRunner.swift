import Foundation
import GatewayCore
import Logging
import ServiceLifecycle
import Synchronization
import SystemdIntegration
import UnixSignals

/// Runs the gateway the way systemd expects a `Type=notify` service to run, reloads included.
///
/// - `READY=1` once the buffer is migrated and every source's subscriptions were acknowledged,
///   with a `STATUS=` line; the line is refreshed every `statusInterval`.
/// - `WATCHDOG=1` from a ``ProgressWatchdog``, only while each source's loop thread and the store
///   keep moving.
/// - SIGHUP: the configuration file is read and checked. A bad one is refused with every wrong key
///   logged, and the gateway keeps running as it was. A good one: `RELOADING=1`, the running
///   generation stops gracefully (every batch stored and acknowledged, rule state saved, hubs told
///   `offline`), and a new one is built from the new file on the same buffer, so no buffered data
///   is lost; `READY=1` follows once it subscribed.
/// - SIGTERM or SIGINT: `STOPPING=1`, a graceful stop, and `run` returns.
public struct GatewayRunner: Sendable {
    public let configPath: String
    public let environment: [String: String]
    public let logger: Logger
    public let notifier: ServiceNotifier
    public var statusInterval: Duration = .seconds(15)

    public init(configPath: String, environment: [String: String], logger: Logger, notifier: ServiceNotifier = ServiceNotifier()) {
        self.configPath = configPath
        self.environment = environment
        self.logger = logger
        self.notifier = notifier
    }

    /// Runs generations until SIGTERM or SIGINT.
    ///
    /// - Throws: what building the first generation throws (`GatewaySetupError`, a store error);
    ///   a reload that cannot be built is logged and the gateway stops with that error.
    public func run(initial: GatewayConfig, fingerprint: ConfigFingerprint) async throws {
        let control = RunControl()
        let watchdog = ProgressWatchdog(notifier: notifier, logger: logger)
        // Trapped for the process's life: between two generations a SIGHUP or SIGTERM must neither
        // kill the process (their default) nor go unseen.
        let signals = await UnixSignalsSequence(trapping: .sighup, .sigterm, .sigint)
        let listener = Task {
            for await signal in signals {
                if signal == .sighup {
                    await reload(control)
                } else {
                    notify(.stopping)
                    control.requestStop()
                    await control.currentGroup?.triggerGracefulShutdown()
                }
            }
        }
        defer { listener.cancel() }

        var config = initial
        var fingerprint = fingerprint
        var previous: (config: GatewayConfig, fingerprint: ConfigFingerprint)?
        let started = SystemWallClock().now()
        var marker: RunMarker?
        defer { marker?.release() }
        while !control.isStopRequested {
            // Marks the data directory as in use (status reads uptime from it, a second daemon on
            // the same buffer is refused); a reload may have moved it.
            if marker.map({ $0.path != RunMarker.path(dataDir: config.gateway.dataDir) }) ?? true {
                marker?.release()
                try createDataDirectory(config.gateway.dataDir)
                marker = try RunMarker.acquire(dataDir: config.gateway.dataDir, startedAt: started)
            }
            let gateway: Gateway
            do {
                gateway = try Gateway.build(
                    config: config, logger: logger, configFingerprint: fingerprint, watchdog: watchdog,
                    onReady: { [notifier, logger] in
                        Self.notify(notifier, logger, .ready, .status("ready: every source subscribed"))
                    }
                )
            } catch let error as GatewaySetupError {
                // A reloaded file that parsed but cannot be put to work (an unreadable password
                // file): go back to the one that ran.
                guard let fallback = previous else { throw error }
                logger.error("reload failed, going back to the previous configuration", metadata: [
                    "config.path": "\(configPath)", "config.problem": "\(error)",
                ])
                (config, fingerprint, previous) = (fallback.config, fallback.fingerprint, nil)
                continue
            }
            let services: [any Service] = [
                WatchdogService(watchdog: watchdog),
                StatusLineService(config: config, notifier: notifier, interval: statusInterval, logger: logger),
            ] + gateway.services
            let group = ServiceGroup(configuration: .init(
                services: services.map { .init(service: $0) },
                logger: logger
            ))
            control.currentGroup = group
            // A stop that came while this generation was being built.
            if control.isStopRequested { await group.triggerGracefulShutdown() }
            try await group.run()
            control.currentGroup = nil
            guard let next = control.takeReload() else { break }
            previous = (config, fingerprint)
            config = next.config
            fingerprint = next.fingerprint
            logger.notice("configuration reloaded", metadata: ["config.path": "\(configPath)", "config.hash": "\(fingerprint)"])
        }
    }

    private func reload(_ control: RunControl) async {
        switch ConfigFile.load(path: configPath, environment: environment) {
        case .failure(let failure):
            logger.error("reload refused, still running on the previous configuration", metadata: [
                "config.path": "\(configPath)", "config.problems": "\(failure.description.replacingOccurrences(of: "\n", with: "; "))",
            ])
            notify(.status("reload refused: \(failure.description.split(separator: "\n").first ?? "")"))
        case .success(let config):
            logger.notice("reloading", metadata: ["config.path": "\(configPath)"])
            notify(.reloading)
            control.requestReload(config, fingerprint: ConfigFile.fingerprint(path: configPath))
            await control.currentGroup?.triggerGracefulShutdown()
        }
    }

    private func notify(_ states: NotifyState...) {
        Self.notify(notifier, logger, states)
    }

    private static func notify(_ notifier: ServiceNotifier, _ logger: Logger, _ states: NotifyState...) {
        notify(notifier, logger, states)
    }

    private static func notify(_ notifier: ServiceNotifier, _ logger: Logger, _ states: [NotifyState]) {
        do {
            try notifier.notify(states)
        } catch {
            logger.warning("cannot notify systemd", metadata: ["systemd.error": "\(error)"])
        }
    }
}

/// What the signal listener and the generation loop share.
private final class RunControl: Sendable {
    private struct State {
        var group: ServiceGroup?
        var reload: (config: GatewayConfig, fingerprint: ConfigFingerprint)?
        var stop = false
    }

    private let state = Mutex(State())

    var currentGroup: ServiceGroup? {
        get { state.withLock { $0.group } }
        set { state.withLock { $0.group = newValue } }
    }

    var isStopRequested: Bool { state.withLock { $0.stop } }

    func requestStop() {
        state.withLock { $0.stop = true }
    }

    func requestReload(_ config: GatewayConfig, fingerprint: ConfigFingerprint) {
        state.withLock { $0.reload = (config, fingerprint) }
    }

    /// The configuration to build next, unless a stop came meanwhile.
    func takeReload() -> (config: GatewayConfig, fingerprint: ConfigFingerprint)? {
        state.withLock { state in
            defer { state.reload = nil }
            return state.stop ? nil : state.reload
        }
    }
}

/// The watchdog as a service: pings while the group runs.
struct WatchdogService: Service {
    let watchdog: ProgressWatchdog<ContinuousClock>

    func run() async throws {
        await cancelWhenGracefulShutdown {
            await watchdog.run()
        }
    }
}
