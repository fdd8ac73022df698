import GatewayCore

/// How the buffer database is kept: where, how durably, how big and for how long (`[buffer]`).
public struct StoreSettings: Sendable, Equatable {
    /// The SQLite file. Its directory must exist (systemd's `StateDirectory=` makes it).
    public var path: String
    /// `synchronous` NORMAL (survives a crash) or FULL (also survives a power cut).
    public var sync: SyncMode
    /// The database file plus its WAL never grow past this many bytes.
    public var maxSize: Int64
    /// Raw readings older than this (by their own time) are deleted.
    public var retention: Duration
    /// At most this many dead letters are kept; counts per reason survive the cap.
    public var deadLetterLimit: Int
    /// How often `maintain` writes the per-series figures kept in memory to disk.
    public var statsFlushInterval: Duration

    /// The smallest `maxSize` that leaves room for the WAL and a useful number of readings.
    public static let minimumMaxSize: Int64 = 4 << 20

    public init(
        path: String,
        sync: SyncMode = .normal,
        maxSize: Int64 = 512 << 20,
        retention: Duration = .seconds(14 * 86_400),
        deadLetterLimit: Int = 1_000,
        statsFlushInterval: Duration = .seconds(10)
    ) {
        self.path = path
        self.sync = sync
        self.maxSize = maxSize
        self.retention = retention
        self.deadLetterLimit = deadLetterLimit
        self.statsFlushInterval = statsFlushInterval
    }

    func validate() throws(StoreError) {
        if path.isEmpty {
            throw .invalidSettings("path: expected a file path, got an empty string")
        }
        if maxSize < Self.minimumMaxSize {
            throw .invalidSettings("max_size: expected at least \(Self.minimumMaxSize) bytes (4MiB), got \(maxSize)")
        }
        if retention <= .zero {
            throw .invalidSettings("retention: expected a positive duration, got \(retention)")
        }
        if deadLetterLimit < 0 {
            throw .invalidSettings("dead letter limit: expected 0 or more, got \(deadLetterLimit)")
        }
        if statsFlushInterval < .zero {
            throw .invalidSettings("stats flush interval: expected 0 or more, got \(statsFlushInterval)")
        }
    }
}
