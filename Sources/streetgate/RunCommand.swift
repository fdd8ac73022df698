import ArgumentParser
import GatewayCore
import GatewayDaemon
import Logging

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the gateway in the foreground (what systemd starts)."
    )

    @OptionGroup var options: ConfigOptions

    func run() async throws {
        let config = try options.load()
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = Logger.Level(config.gateway.logLevel)
            return handler
        }
        let logger = Logger(label: "streetgate")
        let gateway: Gateway
        do {
            gateway = try Gateway.build(config: config, logger: logger, configFingerprint: options.fingerprint())
        } catch let error as GatewaySetupError {
            printError("\(options.path): \(error)")
            throw exitBadConfig
        } catch {
            logger.critical("cannot start", metadata: ["error": "\(error)"])
            throw ExitCode.failure
        }
        logger.notice("starting", metadata: [
            "gateway.id": "\(config.gateway.id)", "gateway.version": "\(StreetGateVersion.current)",
            "buffer.path": "\(databasePath(for: config))",
        ])
        try await gateway.run()
        logger.notice("stopped")
    }
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
