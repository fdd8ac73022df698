import Foundation
import GatewayCore
import GatewayDaemon

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
