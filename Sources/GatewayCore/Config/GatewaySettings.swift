/// The `[gateway]` section: who this gateway is, where it keeps its state, and how it logs.
///
/// Named settings rather than config because `GatewayConfig` is the whole file.
public struct GatewaySettings: Sendable, Equatable {
    /// The gateway's name towards the hubs (`{gateway}` in their topic prefix, `gateway` in every
    /// payload): letters, digits, '.', '_', '-'; 1 to 64 characters.
    public var id: String
    /// The folder of the SQLite buffer.
    public var dataDir: String
    /// The IANA time zone (`Africa/Casablanca`) in which rules read `during`; nil: the system's.
    /// Only its shape is checked here; the daemon checks that the zone exists.
    public var timezone: String?
    /// The least severe level that is logged (`log_level`).
    public var logLevel: LogLevel

    public init(
        id: String,
        dataDir: String = GatewaySettings.defaultDataDir,
        timezone: String? = nil,
        logLevel: LogLevel = .info
    ) {
        self.id = id
        self.dataDir = dataDir
        self.timezone = timezone
        self.logLevel = logLevel
    }

    /// Where the buffer lives when neither the file nor systemd says.
    public static let defaultDataDir = "/var/lib/streetgate"

    /// The default `data_dir` in `environment`: systemd's `StateDirectory=` sets `STATE_DIRECTORY`
    /// (a colon-separated list when the unit names several; the first is ours), else
    /// `defaultDataDir`.
    public static func defaultDataDir(environment: [String: String]) -> String {
        let first = environment["STATE_DIRECTORY"]?.split(separator: ":").first
        return first.map(String.init) ?? defaultDataDir
    }
}

/// How much the gateway logs (`log_level`); the names and order of swift-log's levels, so the
/// daemon maps them one to one.
public enum LogLevel: String, Sendable, CaseIterable {
    case trace, debug, info, notice, warning, error, critical
}
