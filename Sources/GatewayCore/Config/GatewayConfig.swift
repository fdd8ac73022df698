/// Everything `streetgate.toml` says, checked: the value that `streetgate run` builds a gateway
/// from, and that `streetgate check` reports on.
///
/// ## The file
///
/// One TOML file, `/etc/streetgate/streetgate.toml` unless `--config` or `$STREETGATE_CONFIG`
/// names another. The shipped `conf/streetgate.toml` shows every key at its default; only
/// `gateway.id` and one `[[source]]` are required:
///
/// ```toml
/// [gateway]                 # GatewaySettings: id, data_dir, timezone, log_level
/// id = "fes-medina-01"
///
/// [buffer]                  # BufferConfig: max_size, retention, sync, dead_letters
///
/// [[source]]                # SourceConfig, one or more: a sensor-side broker
/// name = "local"
/// url = "mqtt://127.0.0.1:1883"
/// topics = ["city/+/+/+/+"]
///
/// [aggregate]               # AggregateConfig: window, grace
///
/// [[hub]]                   # HubConfig, zero or more: where aggregates and alerts go
///
/// [[rule]]                  # RuleConfig, zero or more: when to raise an alert
/// ```
///
/// Durations are strings like `"500ms"`, `"30s"`, `"15m"`, `"2h"`, `"14d"` or `"1h30m"`
/// (`DurationText`); sizes like `"512MiB"`, `"100MB"` or `"1000"` bytes (`ByteSizeText`); broker
/// addresses `mqtt://host[:port]` or `mqtts://host[:port]` (`BrokerURL`).
///
/// ## Reading it
///
/// `ConfigLoader.parse` takes the file's text (the caller reads the file: this module does no
/// I/O) and returns either this value or every problem it found, each naming the key and what was
/// expected. Unknown keys are problems too, so a misspelt key never falls back to a default
/// unnoticed. A value of this type has passed every check: its templates and filters parse, its
/// names are unique, its numbers are in range.
///
/// Every section's initialiser defaults to the shipped defaults, so
/// `GatewayConfig(gateway: .init(id: "x"), sources: [.init(name: "local", url: …, topics: […])])`
/// is what a file with only the required keys means.
public struct GatewayConfig: Sendable, Equatable {
    public var gateway: GatewaySettings
    public var buffer: BufferConfig
    /// At least one.
    public var sources: [SourceConfig]
    public var aggregate: AggregateConfig
    public var hubs: [HubConfig]
    public var rules: [RuleConfig]

    public init(
        gateway: GatewaySettings,
        buffer: BufferConfig = BufferConfig(),
        sources: [SourceConfig],
        aggregate: AggregateConfig = AggregateConfig(),
        hubs: [HubConfig] = [],
        rules: [RuleConfig] = []
    ) {
        self.gateway = gateway
        self.buffer = buffer
        self.sources = sources
        self.aggregate = aggregate
        self.hubs = hubs
        self.rules = rules
    }
}
