import GRDB

/// Arrival order for readings stored by time.
///
/// `reading` is keyed by (time, series), so its order is time, not arrival. Two things still need
/// the readings that arrived after a point: the per-series figures (`series_stats`, flushed every
/// few seconds) and the rules (their snapshot, saved every few seconds), each of which must take
/// in, after a restart, what arrived after it was saved. So every insert statement stamps its
/// readings with its own number (`arrival`, increasing), and each of those two watermarks
/// ("through arrival N") comes with a floor: a time no reading that arrived after the watermark is
/// older than. The readings after a watermark are then a short range of the time key
/// (`t >= floor`), filtered on `arrival`, however large the buffer: readings mostly arrive in time
/// order, and a late one lowers the floor in its own commit.
///
/// Numbers are reserved on disk ahead of use, a block at a time, so a commit writes nothing extra
/// for them; after a restart (or a failed transaction) numbering resumes above the reserved block.
struct ArrivalMarks: Sendable {
    /// The number the next insert statement's readings get.
    private(set) var next: Int64
    /// Every number handed out is below this; on disk as `EngineStateTable.arrivalReserved`.
    private(set) var reserved: Int64
    /// The figures in `series_stats` include the readings up to `statsThrough`; later ones are
    /// not older than `statsFloor`.
    private(set) var statsThrough: Int64
    private(set) var statsFloor: Int64
    /// The same for the rules' snapshot.
    private(set) var rulesThrough: Int64
    private(set) var rulesFloor: Int64
    /// Each recent commit's last number and oldest time, in order, to place the rules' floor when a
    /// snapshot taken a few commits ago is saved. Complete for the numbers from `recentSince` on.
    private var recent: [(arrival: Int64, oldest: Int64)] = []
    private var recentSince: Int64

    /// Numbers reserved at once: one write every 100,000 statements (of up to 32 readings).
    static let reservation: Int64 = 100_000
    static let recentLimit = 1_024

    /// The last number handed out: every reading stored so far has it or a lower one.
    var lastCommitted: Int64 { next - 1 }

    static func load(_ db: Database) throws -> ArrivalMarks {
        let reserved = try EngineStateTable.load(EngineStateTable.arrivalReserved, as: Int64.self, in: db) ?? 1
        let stored = try Stored.load(db)
        return ArrivalMarks(
            next: reserved, reserved: reserved,
            statsThrough: stored.statsThrough, statsFloor: stored.statsFloor,
            rulesThrough: stored.rulesThrough, rulesFloor: stored.rulesFloor,
            recentSince: reserved
        )
    }

    /// Numbers an insert statement about to run, reserving a new block on disk, in the caller's
    /// transaction, when the last one is used up.
    mutating func take(in db: Database) throws -> Int64 {
        if next >= reserved {
            reserved = next + Self.reservation
            try EngineStateTable.save(EngineStateTable.arrivalReserved, reserved, in: db)
        }
        next += 1
        return next - 1
    }

    /// Records a commit that stored readings, `oldest` the earliest time among them; lowers a
    /// floor on disk when a late reading passes below it.
    mutating func committed(oldest: Int64, in db: Database) throws {
        if oldest < statsFloor {
            statsFloor = oldest
            try EngineStateTable.save(EngineStateTable.statsTailFloor, oldest, in: db)
        }
        if oldest < rulesFloor {
            rulesFloor = oldest
            try EngineStateTable.save(EngineStateTable.rulesTailFloor, oldest, in: db)
        }
        recent.append((lastCommitted, oldest))
        if recent.count > Self.recentLimit {
            // The commits kept are complete from just after the last one dropped.
            recentSince = recent[Self.recentLimit / 2 - 1].arrival + 1
            recent.removeFirst(Self.recentLimit / 2)
        }
    }

    /// The per-series figures now include every reading stored: nothing is above their watermark.
    mutating func statsFlushed(in db: Database) throws -> Int64 {
        statsThrough = lastCommitted
        statsFloor = .max
        try EngineStateTable.save(EngineStateTable.statsThroughArrival, statsThrough, in: db)
        try EngineStateTable.save(EngineStateTable.statsTailFloor, statsFloor, in: db)
        return statsThrough
    }

    /// A rules snapshot including the readings up to `through` is being saved.
    mutating func rulesSaved(through: Int64, in db: Database) throws {
        let floor = floor(after: through)
        rulesThrough = through
        rulesFloor = floor
        try EngineStateTable.save(EngineStateTable.rulesThroughArrival, through, in: db)
        try EngineStateTable.save(EngineStateTable.rulesTailFloor, floor, in: db)
    }

    /// The earliest time a reading that arrived after `through` can have (`Int64.max` when none
    /// did; `Int64.min` when nothing narrows it down).
    func floor(after through: Int64) -> Int64 {
        // Every commit since is listed: exactly their oldest time.
        if through + 1 >= recentSince {
            var oldest = Int64.max
            for commit in recent.reversed() {
                guard commit.arrival > through else { break }
                oldest = min(oldest, commit.oldest)
            }
            return oldest
        }
        // A watermark at or before `through` has a floor below everything that came after it.
        var floor = Int64.min
        if through >= rulesThrough { floor = max(floor, rulesFloor) }
        if through >= statsThrough { floor = max(floor, statsFloor) }
        return floor
    }

    /// The watermarks and floors as saved, for readers in other processes too.
    struct Stored {
        var statsThrough: Int64
        var statsFloor: Int64
        var rulesThrough: Int64
        var rulesFloor: Int64

        static func load(_ db: Database) throws -> Stored {
            let statsThrough = try EngineStateTable.load(EngineStateTable.statsThroughArrival, as: Int64.self, in: db) ?? 0
            let rulesThrough = try EngineStateTable.load(EngineStateTable.rulesThroughArrival, as: Int64.self, in: db)
            return Stored(
                statsThrough: statsThrough,
                statsFloor: try EngineStateTable.load(EngineStateTable.statsTailFloor, as: Int64.self, in: db) ?? .min,
                rulesThrough: rulesThrough ?? 0,
                // No snapshot yet: every reading is after it.
                rulesFloor: rulesThrough == nil ? .min : try EngineStateTable.load(EngineStateTable.rulesTailFloor, as: Int64.self, in: db) ?? .min
            )
        }
    }

    /// Sets the marks for the readings of a rowid table (`LegacyReadings`), whose ids become their
    /// arrival numbers: found by id, before the rows move.
    static func migrate(_ db: Database) throws {
        let legacy = LegacyReadings.table
        let highest = try Int64.fetchOne(db, sql: "SELECT max(id) FROM \(legacy)") ?? 0
        try EngineStateTable.save(EngineStateTable.arrivalReserved, highest + 1, in: db)
        let statsThrough = try Int64.fetchOne(db, sql: "SELECT max(through_arrival) FROM series_stats") ?? 0
        try EngineStateTable.save(EngineStateTable.statsThroughArrival, statsThrough, in: db)
        let statsFloor = try Int64.fetchOne(db, sql: "SELECT min(t) FROM \(legacy) WHERE id > ?", arguments: [statsThrough])
        try EngineStateTable.save(EngineStateTable.statsTailFloor, statsFloor ?? .max, in: db)
        if let rulesThrough = try EngineStateTable.load(EngineStateTable.rulesThroughArrival, as: Int64.self, in: db) {
            let rulesFloor = try Int64.fetchOne(db, sql: "SELECT min(t) FROM \(legacy) WHERE id > ?", arguments: [rulesThrough])
            try EngineStateTable.save(EngineStateTable.rulesTailFloor, rulesFloor ?? .max, in: db)
        }
    }

    private init(
        next: Int64, reserved: Int64, statsThrough: Int64, statsFloor: Int64,
        rulesThrough: Int64, rulesFloor: Int64, recentSince: Int64
    ) {
        self.next = next
        self.reserved = reserved
        self.statsThrough = statsThrough
        self.statsFloor = statsFloor
        self.rulesThrough = rulesThrough
        self.rulesFloor = rulesFloor
        self.recentSince = recentSince
    }
}
