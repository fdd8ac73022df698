import ArgumentParser
import GatewayCore

/// `streetgate`: the gateway daemon and the technician's tools, one executable.
@main
struct StreetGateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "streetgate",
        abstract: "Edge gateway for city sensors: MQTT in, SQLite buffer, alerts and aggregates out.",
        version: StreetGateVersion.current,
        subcommands: [RunCommand.self, CheckCommand.self, StatusCommand.self, ExportCommand.self, ReplayCommand.self]
    )
}

/// EX_CONFIG from sysexits.h: systemd's `RestartPreventExitStatus=78` keeps a broken config from looping.
let exitBadConfig = ExitCode(78)
