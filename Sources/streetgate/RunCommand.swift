import ArgumentParser
import Foundation
import GatewayCore
import GatewayDaemon
import Logging
import SystemdIntegration

#if canImport(Glibc)
import Glibc
#endif

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the gateway in the foreground (what systemd starts).",
        discussion: """
            Speaks sd_notify when $NOTIFY_SOCKET is set (READY, WATCHDOG, STATUS, RELOADING, STOPPING). \
            SIGHUP reloads the configuration file; a bad file is refused and the gateway keeps running. \
            Log lines carry journald priority prefixes when stderr is the journal.
            """
    )

    @OptionGroup var options: ConfigOptions

    func run() async throws {
        limitMallocRetention()
        let config = try options.load()
        LoggingSystem.bootstrap { label in
            var handler = JournalLogHandler.standardError(label: label)
            handler.logLevel = Logger.Level(config.gateway.logLevel)
            return handler
        }
        let logger = Logger(label: "streetgate")
        logger.notice("starting", metadata: [
            "gateway.id": "\(config.gateway.id)", "gateway.version": "\(StreetGateVersion.current)",
            "buffer.path": "\(databasePath(for: config))",
        ])
        let runner = GatewayRunner(configPath: options.path, environment: ProcessInfo.processInfo.environment, logger: logger)
        do {
            try await runner.run(initial: config, fingerprint: options.fingerprint())
        } catch let error as GatewaySetupError {
            printError("\(options.path): \(error)")
            throw exitBadConfig
        } catch {
            logger.critical("cannot start", metadata: ["error": "\(error)"])
            throw ExitCode.failure
        }
        logger.notice("stopped")
    }
}

/// Before the gateway's threads start, so that transient memory goes back (docs/performance.md,
/// "Soak"): glibc gives each allocating thread an arena of its own (up to 8 per core) and keeps what
/// is freed there; and after freeing its first large block it raises its mmap threshold, so later
/// large blocks (a window's aggregates, a rule snapshot) land in the heap and stay resident. Two
/// arenas and a fixed 128 KiB threshold keep resident memory flat. `mallopt` is looked up: the
/// Glibc module leaves out <malloc.h>.
private func limitMallocRetention() {
    #if canImport(Glibc)
    typealias Mallopt = @convention(c) (CInt, CInt) -> CInt
    let (arenaMax, mmapThreshold): (CInt, CInt) = (-8, -3)  // M_ARENA_MAX, M_MMAP_THRESHOLD
    guard let symbol = dlsym(nil, "mallopt") else { return }
    let mallopt = unsafeBitCast(symbol, to: Mallopt.self)
    _ = mallopt(arenaMax, 2)
    _ = mallopt(mmapThreshold, 128 * 1024)
    #endif
}

extension Logger.Level {
    init(_ level: LogLevel) {
        switch level {
        case .trace: self = .trace
        case .debug: self = .debug
        case .info: self = .info
        case .notice: self = .notice
        case .warning: self = .warning
        case .error: self = .error
        case .critical: self = .critical
        }
    }
}
