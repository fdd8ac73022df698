/// Reads the keys of one TOML table, reporting to a shared `ProblemLog` what is missing, of the
/// wrong type, or out of bounds.
///
/// It remembers the keys it was asked for, so that `finish()` can report every other key as
/// unknown: a misspelt key is a problem, not a silently applied default. It also remembers which
/// keys held bad values, so that checks between keys skip them instead of piling a second problem
/// onto the first.
struct TableReader {
    /// The table's own key path: empty for the root, `buffer`, `source[0]`.
    let path: String
    private let entries: [String: TOMLNode]
    private let log: ProblemLog
    private var asked: [String] = []
    private var bad: Set<String> = []

    init(_ entries: [String: TOMLNode], path: String, log: ProblemLog) {
        self.entries = entries
        self.path = path
        self.log = log
    }

    /// The full dotted path of `key` in this table, for problems.
    func keyPath(_ key: String) -> String {
        path.isEmpty ? key : "\(path).\(key)"
    }

    /// Whether none of `keys` held a value that was reported as bad.
    func areValid(_ keys: String...) -> Bool {
        bad.isDisjoint(with: keys)
    }

    func has(_ key: String) -> Bool {
        entries[key] != nil
    }

    /// Reports a problem with `key` that only a check between keys can see, and marks it bad.
    mutating func reject(_ key: String, got: String, expected: String) {
        bad.insert(key)
        log.invalid(keyPath(key), got: got, expected: expected)
    }

    /// Reports that `key` repeats the value of the block at `otherPath`.
    func reportDuplicate(_ key: String, got: String, firstUsedBy otherPath: String) {
        log.invalid(keyPath(key), got: got, expected: "a name not already used by \(otherPath)")
    }

    /// Reports `key` as missing although another key needs it.
    mutating func reportMissing(_ key: String, expected: String) {
        bad.insert(key)
        log.missing(keyPath(key), expected: expected)
    }

    /// Reports `key` as missing although the default cannot serve, saying why.
    mutating func reportMissing(_ key: String, because reason: String) {
        bad.insert(key)
        log.report(keyPath(key), "missing; \(reason)")
    }

    /// The raw node under `key`, marking the key as known.
    mutating func node(_ key: String) -> TOMLNode? {
        asked.append(key)
        return entries[key]
    }

    /// The value of `key`: nil when it is absent, or bad (and reported).
    mutating func optional<Value>(_ key: String, _ spec: ValueSpec<Value>) -> Value? {
        guard let node = node(key) else { return nil }
        switch spec.decode(node) {
        case .value(let value):
            return value
        case .wrongType:
            bad.insert(key)
            log.invalid(keyPath(key), got: node.kindName, expected: spec.typeName)
        case .invalid(let expected):
            bad.insert(key)
            log.invalid(keyPath(key), got: node.shown, expected: expected)
        case .rejected(let reason):
            bad.insert(key)
            log.rejected(keyPath(key), got: node.shown, reason: reason)
        }
        return nil
    }

    /// The value of a key that has no default: nil when it is missing or bad (and reported).
    mutating func required<Value>(_ key: String, _ spec: ValueSpec<Value>) -> Value? {
        if !has(key) {
            bad.insert(key)
            log.missing(keyPath(key), expected: spec.expected)
        }
        return optional(key, spec)
    }

    /// Overwrites `target` (which holds the default) with the value of `key`, if it has a good one.
    mutating func read<Value>(_ key: String, _ spec: ValueSpec<Value>, into target: inout Value) {
        if let value = optional(key, spec) { target = value }
    }

    /// Sets an optional setting from `key`; it stays nil when the key is absent.
    mutating func read<Value>(_ key: String, _ spec: ValueSpec<Value>, into target: inout Value?) {
        if let value = optional(key, spec) { target = value }
    }

    /// A non-empty array under `key` whose elements each pass `element`; problems name the
    /// element (`topics[1]`). Nil when missing or when anything is bad.
    mutating func requiredList<Value>(_ key: String, _ element: ValueSpec<Value>, example: String) -> [Value]? {
        let expected = "an array of strings like \(example)"
        guard let node = node(key) else {
            reportMissing(key, expected: expected)
            return nil
        }
        guard case .array(let items) = node else {
            reject(key, got: node.kindName, expected: expected)
            return nil
        }
        guard !items.isEmpty else {
            reject(key, got: "an empty array", expected: expected)
            return nil
        }
        var values: [Value] = []
        for (index, item) in items.enumerated() {
            let itemKey = "\(key)[\(index)]"
            switch element.decode(item) {
            case .value(let value): values.append(value)
            case .wrongType: reject(itemKey, got: item.kindName, expected: element.typeName)
            case .invalid(let expected): reject(itemKey, got: item.shown, expected: expected)
            case .rejected(let reason): log.rejected(keyPath(itemKey), got: item.shown, reason: reason)
            }
        }
        guard values.count == items.count else {
            bad.insert(key)
            return nil
        }
        return values
    }

    /// The sub-table `key` (`[buffer]`), empty when absent; nil when the key holds something else.
    mutating func table(_ key: String) -> TableReader? {
        switch node(key) {
        case nil: return TableReader([:], path: keyPath(key), log: log)
        case .table(let entries)?: return TableReader(entries, path: keyPath(key), log: log)
        case let other?:
            bad.insert(key)
            log.invalid(keyPath(key), got: other.kindName, expected: "a table, written [\(key)]")
            return nil
        }
    }

    /// The blocks of an array of tables (`[[source]]`), each read at `key[index]`; empty when
    /// absent; nil when the key holds something else. Elements that are not tables are reported
    /// and left out.
    mutating func arrayOfTables(_ key: String) -> [TableReader]? {
        let expected = "an array of tables, written [[\(key)]]"
        switch node(key) {
        case nil:
            return []
        case .array(let elements)?:
            var tables: [TableReader] = []
            for (index, element) in elements.enumerated() {
                let elementPath = "\(keyPath(key))[\(index)]"
                guard case .table(let entries) = element else {
                    log.invalid(elementPath, got: element.kindName, expected: "a table")
                    continue
                }
                tables.append(TableReader(entries, path: elementPath, log: log))
            }
            return tables
        case let other?:
            bad.insert(key)
            log.invalid(keyPath(key), got: other.kindName, expected: expected)
            return nil
        }
    }

    /// Reports every key that no one asked for, with the keys this table knows and, when one is
    /// close, the likely intended one.
    func finish() {
        let known = asked
        for key in entries.keys.sorted() where !known.contains(key) {
            var message = "unknown key"
            if let guess = known.min(by: { Self.editDistance($0, key) < Self.editDistance($1, key) }),
                Self.editDistance(guess, key) <= 2
            {
                message += " (did you mean \(guess)?)"
            }
            log.report(keyPath(key.writtenAsKey), message + "; expected one of " + known.joined(separator: ", "))
        }
    }

    /// Levenshtein distance, to suggest the key a typo meant.
    private static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        guard !a.isEmpty else { return b.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in stride(from: 1, through: b.count, by: 1) {
                let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
                current[j] = min(previous[j] + 1, current[j - 1] + 1, substitution)
            }
            previous = current
        }
        return previous[b.count]
    }
}
