import Foundation
import GatewayCore

/// Finds, reads and parses the configuration file.
public enum ConfigFile {
    public static let defaultPath = "/etc/streetgate/streetgate.toml"

    /// `--config`, else `$STREETGATE_CONFIG`, else `/etc/streetgate/streetgate.toml`.
    public static func resolvePath(option: String?, environment: [String: String]) -> String {
        if let option, !option.isEmpty { return option }
        if let fromEnvironment = environment["STREETGATE_CONFIG"], !fromEnvironment.isEmpty { return fromEnvironment }
        return defaultPath
    }

    public enum Failure: Error, CustomStringConvertible {
        /// The file could not be read at all (exit 78).
        case unreadable(path: String, reason: String)
        /// The file was read; these keys are wrong.
        case invalid([ConfigProblem])

        public var description: String {
            switch self {
            case .unreadable(let path, let reason): "\(path): cannot read the configuration: \(reason)"
            case .invalid(let problems): problems.map(\.description).joined(separator: "\n")
            }
        }
    }

    /// The file's fingerprint, which the uplink's `status` reports to hubs; of nothing if unreadable.
    public static func fingerprint(path: String) -> ConfigFingerprint {
        ConfigFingerprint(bytes: (try? Data(contentsOf: URL(fileURLWithPath: path))) ?? Data())
    }

    public static func load(path: String, environment: [String: String]) -> Result<GatewayConfig, Failure> {
        let text: String
        do {
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            guard let decoded = String(data: data, encoding: .utf8) else {
                return .failure(.unreadable(path: path, reason: "not UTF-8 text"))
            }
            text = decoded
        } catch {
            let reason = (error as NSError).userInfo[NSUnderlyingErrorKey].map { "\($0)" } ?? error.localizedDescription
            return .failure(.unreadable(path: path, reason: reason))
        }
        switch ConfigLoader.parse(text, file: path, environment: environment) {
        case .valid(let config): return .success(config)
        case .invalid(let problems): return .failure(.invalid(problems))
        }
    }
}
