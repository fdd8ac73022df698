extension BufferConfig {
    /// Below this SQLite spends its room on pages and journal, not readings.
    static let smallestMaxSize: Int64 = 16 << 20
    /// Less would delete readings before a hub that is away for a night could fetch them.
    static let shortestRetention: Duration = .seconds(3_600)

    static func read(_ table: TableReader) -> BufferConfig {
        var table = table
        var buffer = BufferConfig()
        table.read("max_size", .size(in: smallestMaxSize...Int64.max, example: "512MiB"), into: &buffer.maxSize)
        table.read("retention", .duration(atLeast: shortestRetention, example: "14d"), into: &buffer.retention)
        table.read("sync", .oneOf(SyncMode.self), into: &buffer.sync)
        table.read("dead_letters", .integer(in: 1...1_000_000), into: &buffer.deadLetters)
        table.finish()
        return buffer
    }
}
