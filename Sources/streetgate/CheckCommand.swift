import ArgumentParser
import Foundation
import GatewayCore
import GatewayDaemon

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate the configuration: one line per problem (file, key, what was expected).",
        discussion: "Exit status: 0 all good, 1 a problem found, 78 the file could not be read."
    )

    @OptionGroup var options: ConfigOptions

    func run() throws {
        let path = options.path
        switch ConfigFile.load(path: path, environment: ProcessInfo.processInfo.environment) {
        case .failure(.unreadable(_, let reason)):
            printError("\(path): cannot read the configuration: \(reason)")
            throw exitBadConfig
        case .failure(.invalid(let problems)):
            for problem in problems { print(problem) }
            throw ExitCode(1)
        case .success(let config):
            let problems = EnvironmentChecks.problems(in: config, file: path)
            for problem in problems { print(problem) }
            if !problems.isEmpty { throw ExitCode(1) }
            print("\(path): OK (gateway \(config.gateway.id), \(config.sources.count) source(s), \(config.hubs.count) hub(s), \(config.rules.count) rule(s))")
        }
    }
}

/// Problems a parser cannot see: files named by the configuration that are missing or unreadable,
/// a time zone this system's tz database does not know.
enum EnvironmentChecks {
    static func problems(in config: GatewayConfig, file: String) -> [ConfigProblem] {
        var problems: [ConfigProblem] = []
        if let zone = config.gateway.timezone, SystemTimeZone(identifier: zone) == nil {
            problems.append(ConfigProblem(file: file, key: "gateway.timezone", message: "got \"\(zone)\", expected an IANA time zone this system knows, like Africa/Casablanca"))
        }
        func checkReadable(_ path: String?, key: String) {
            guard let path else { return }
            if !FileManager.default.isReadableFile(atPath: path) {
                problems.append(ConfigProblem(file: file, key: key, message: "\(path) is missing or unreadable; expected a readable file"))
            }
        }
        for (index, source) in config.sources.enumerated() {
            checkReadable(source.passwordFile, key: "source[\(index)].password_file")
            checkReadable(source.caFile, key: "source[\(index)].ca_file")
            checkReadable(source.certFile, key: "source[\(index)].cert_file")
            checkReadable(source.keyFile, key: "source[\(index)].key_file")
        }
        for (index, hub) in config.hubs.enumerated() {
            checkReadable(hub.passwordFile, key: "hub[\(index)].password_file")
            checkReadable(hub.caFile, key: "hub[\(index)].ca_file")
            checkReadable(hub.certFile, key: "hub[\(index)].cert_file")
            checkReadable(hub.keyFile, key: "hub[\(index)].key_file")
        }
        return problems
    }
}
