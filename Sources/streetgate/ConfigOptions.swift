import ArgumentParser
import Foundation
import GatewayCore
import GatewayDaemon

/// `--config FILE`, shared by every subcommand.
struct ConfigOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "The configuration file (default: $STREETGATE_CONFIG, else /etc/streetgate/streetgate.toml).",
        valueName: "file"
    ))
    var config: String?

    var path: String {
        ConfigFile.resolvePath(option: config, environment: ProcessInfo.processInfo.environment)
    }

    /// The parsed configuration, or the problems printed to stderr and exit 78.
    func load() throws -> GatewayConfig {
        switch ConfigFile.load(path: path, environment: ProcessInfo.processInfo.environment) {
        case .success(let config):
            return config
        case .failure(let failure):
            printError(failure.description)
            throw exitBadConfig
        }
    }
}

extension ConfigOptions {
    /// The configuration file's fingerprint, which the uplink's `status` reports to hubs.
    func fingerprint() -> ConfigFingerprint {
        ConfigFile.fingerprint(path: path)
    }
}

func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}
