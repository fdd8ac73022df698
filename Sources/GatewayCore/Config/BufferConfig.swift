/// The `[buffer]` section: how big the SQLite buffer may grow, how long raw readings stay, and how
/// hard it flushes.
public struct BufferConfig: Sendable, Equatable {
    /// The database never grows past this many bytes (`max_size`): raw readings are evicted first,
    /// alerts last. At least 16MiB.
    public var maxSize: Int64
    /// Raw readings older than this are deleted. At least 1h.
    public var retention: Duration
    public var sync: SyncMode
    /// How many rejected payloads are kept for `streetgate status` (`dead_letters`), 1 to 1000000.
    public var deadLetters: Int

    public init(
        maxSize: Int64 = 512 << 20,
        retention: Duration = .seconds(14 * 86_400),
        sync: SyncMode = .normal,
        deadLetters: Int = 1_000
    ) {
        self.maxSize = maxSize
        self.retention = retention
        self.sync = sync
        self.deadLetters = deadLetters
    }
}
