import GRDB

/// Every series the database knows, with its id and running totals, so the hot path resolves a
/// reading's series with one hash lookup and never queries `series`.
struct SeriesCache: Sendable {
    struct Key: Hashable, Sendable {
        var sensor: String
        var metric: String
    }

    struct Entry: Sendable {
        let id: Int64
        var totals: SeriesTotals
        var isDirty: Bool
    }

    private var slotByKey: [Key: Int] = [:]
    /// In id order: loaded sorted, and SQLite hands out each new id above all the others.
    private(set) var entries: [Entry] = []
    /// Slots whose totals changed since the last flush, each listed once.
    private var dirtySlots: [Int] = []

    var hasDirtyEntries: Bool { !dirtySlots.isEmpty }
    var dirtyEntries: some Sequence<Entry> { dirtySlots.lazy.map { entries[$0] } }

    func slot(sensor: String, metric: String) -> Int? {
        slotByKey[Key(sensor: sensor, metric: metric)]
    }

    @discardableResult
    mutating func add(id: Int64, sensor: String, metric: String, totals: SeriesTotals = SeriesTotals(), isDirty: Bool = false) -> Int {
        let slot = entries.count
        entries.append(Entry(id: id, totals: totals, isDirty: isDirty))
        slotByKey[Key(sensor: sensor, metric: metric)] = slot
        if isDirty { dirtySlots.append(slot) }
        return slot
    }

    /// Adds a sensor/metric pair seen for the first time, in the caller's transaction.
    mutating func insert(sensor: String, metric: String, in db: Database) throws -> Int {
        try db.cachedStatement(sql: "INSERT INTO series (sensor, metric) VALUES (?, ?)").execute(arguments: [sensor, metric])
        return add(id: db.lastInsertedRowID, sensor: sensor, metric: metric)
    }

    mutating func record(slot: Int, time: Int64, value: Double) {
        entries[slot].totals.record(time: time, value: value)
        if !entries[slot].isDirty {
            entries[slot].isDirty = true
            dirtySlots.append(slot)
        }
    }

    mutating func markClean() {
        for slot in dirtySlots { entries[slot].isDirty = false }
        dirtySlots.removeAll(keepingCapacity: true)
    }

    /// Each series' sensor and metric by id, for streaming stored readings back after a restart:
    /// memory has them all, where reading `series` again took longer than the readings did.
    func names() -> SeriesNames {
        var keys = [Key](repeating: Key(sensor: "", metric: ""), count: entries.count)
        for (key, slot) in slotByKey {
            keys[slot] = key
        }
        return SeriesNames(ids: entries.map(\.id), keys: keys)
    }

    /// Rebuilds the cache from disk: the source of truth after a restart, a SIGKILL or a failed transaction.
    static func load(_ db: Database) throws -> SeriesCache {
        let figures = try SeriesTotalsQuery.fetch(db)
        var cache = SeriesCache()
        // Every series has figures once flushed: a close enough count, so the tables grow once.
        cache.entries.reserveCapacity(figures.totals.count)
        cache.slotByKey.reserveCapacity(figures.totals.count)
        try RawRow.forEach(in: db, sql: "SELECT id, sensor, metric FROM series ORDER BY id") { row in
            let id = row.int64(0)
            cache.add(
                id: id, sensor: row.text(1), metric: row.text(2),
                totals: figures.totals[id] ?? SeriesTotals(),
                isDirty: figures.unflushed.contains(id)
            )
        }
        return cache
    }
}
