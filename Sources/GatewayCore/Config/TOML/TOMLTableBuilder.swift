/// Builds a document's tree from its headers and key/value pairs, enforcing that nothing is
/// defined twice: a key set again, a `[table]` defined again, a table made by dotted keys that a
/// later header names, dotted keys that reach into a table defined elsewhere, anything added to
/// an inline table or to an array written with `[...]`, and `[x]` and `[[x]]` mixed.
///
/// A section is the run of key/value pairs under one header; the pairs before the first header
/// form section 0. Each inline table gets a builder of its own, with a single section.
struct TOMLTableBuilder {
    private let source: TOMLSource
    private let root = TOMLTable(.header(offset: 0))
    /// The table that key/value pairs go into, and its path as problems write it (`source[1]`).
    private var current: TOMLTable
    private var currentPath = ""
    private var section = 0

    init(_ source: TOMLSource) {
        self.source = source
        current = root
    }

    var document: [String: TOMLNode] { root.node }

    var isEmpty: Bool { root.entries.isEmpty }

    /// `[a.b]`: key/value pairs now go into `a.b`.
    mutating func openTable(_ key: [TOMLKey]) throws(TOMLSyntaxError) {
        let found = "[\(key.written)]"
        var (parent, path) = try parentTable(of: key, found: found)
        let last = key[key.count - 1]
        path = joined(path, last.name)
        let table: TOMLTable
        switch parent.entries[last.name] {
        case nil:
            table = TOMLTable(.header(offset: last.offset))
            parent.entries[last.name] = .table(table)
        case .table(let existing)?:
            guard case .implicit = existing.origin else {
                throw conflict(
                    last, found: found, path: path, existing: .table(existing), expected: "each table defined once")
            }
            existing.origin = .header(offset: last.offset)
            table = existing
        case let existing?:
            let expected =
                existing.isArrayOfTables ? "[[\(key.written)]] to add a table to it" : "each key defined once"
            throw conflict(last, found: found, path: path, existing: existing, expected: expected)
        }
        enter(table, path: path)
    }

    /// `[[a.b]]`: a new table at the end of the array `a.b`; key/value pairs now go into it.
    mutating func appendTable(_ key: [TOMLKey]) throws(TOMLSyntaxError) {
        let found = "[[\(key.written)]]"
        var (parent, path) = try parentTable(of: key, found: found)
        let last = key[key.count - 1]
        path = joined(path, last.name)
        let array: TOMLTableArray
        switch parent.entries[last.name] {
        case nil:
            array = TOMLTableArray(offset: last.offset)
            parent.entries[last.name] = .arrayOfTables(array)
        case .arrayOfTables(let existing)?:
            array = existing
        case let existing?:
            var expected = "[[\(key.written)]] only for an array of tables"
            switch existing {
            case .value(.array, _): expected += " (an array written with [...] is complete)"
            case .value: expected = "each key defined once"
            default: break
            }
            throw conflict(last, found: found, path: path, existing: existing, expected: expected)
        }
        let table = TOMLTable(.header(offset: last.offset))
        array.elements.append(table)
        enter(table, path: "\(path)[\(array.elements.count - 1)]")
    }

    /// `a.b = value` in the current section. (Paths for errors are built only for an error: this
    /// runs for every key of the file.)
    mutating func insert(_ key: [TOMLKey], _ value: TOMLNode) throws(TOMLSyntaxError) {
        var table = current
        for (index, part) in key.dropLast().enumerated() {
            switch table.entries[part.name] {
            case nil:
                let created = TOMLTable(.dotted(section: section, offset: part.offset))
                table.entries[part.name] = .table(created)
                table = created
            case .table(let existing)?:
                switch existing.origin {
                case .implicit:
                    existing.origin = .dotted(section: section, offset: part.offset)
                case .dotted(let createdIn, _) where createdIn == section:
                    break
                case .dotted:
                    throw conflict(
                        in: key, at: index, existing: .table(existing), expected: "each table defined in one place")
                case .header:
                    let expected = "its keys under [\(path(of: key, through: index))]"
                    throw conflict(in: key, at: index, existing: .table(existing), expected: expected)
                }
                table = existing
            case let existing?:
                let expected =
                    existing.isArrayOfTables ? "its keys under [[\(path(of: key, through: index))]]" : "a table"
                throw conflict(in: key, at: index, existing: existing, expected: expected)
            }
        }
        let last = key[key.count - 1]
        if let existing = table.entries[last.name] {
            throw conflict(
                last, found: "key \(key.written)", path: path(of: key, through: key.count - 1), existing: existing,
                expected: "each key once per table")
        }
        table.entries[last.name] = .value(value, offset: last.offset)
    }

    /// The path of the current section's table joined with `key` up to its part at `index`.
    private func path(of key: [TOMLKey], through index: Int) -> String {
        key[...index].reduce(currentPath) { joined($0, $1.name) }
    }

    /// A conflict at the part `index` of a dotted key.
    private func conflict(in key: [TOMLKey], at index: Int, existing: TOMLTable.Entry, expected: String)
        -> TOMLSyntaxError
    {
        conflict(
            key[index], found: key.written, path: path(of: key, through: index), existing: existing, expected: expected)
    }

    /// The table that holds the last part of a header's key, creating the missing ones; through
    /// an array of tables, its last table.
    private func parentTable(of key: [TOMLKey], found: String) throws(TOMLSyntaxError) -> (TOMLTable, String) {
        var table = root
        var path = ""
        for part in key.dropLast() {
            path = joined(path, part.name)
            switch table.entries[part.name] {
            case nil:
                let created = TOMLTable(.implicit(offset: part.offset))
                table.entries[part.name] = .table(created)
                table = created
            case .table(let existing)?:
                table = existing
            case .arrayOfTables(let array)?:
                // Never empty: an array of tables is created with its first table.
                table = array.elements[array.elements.count - 1]
                path += "[\(array.elements.count - 1)]"
            case let existing?:
                throw conflict(part, found: found, path: path, existing: existing, expected: "a table")
            }
        }
        return (table, path)
    }

    private mutating func enter(_ table: TOMLTable, path: String) {
        current = table
        currentPath = path
        section += 1
    }

    private func joined(_ path: String, _ name: String) -> String {
        path.isEmpty ? name.writtenAsKey : "\(path).\(name.writtenAsKey)"
    }

    /// "found [a.b], but a.b is already a table defined on line 3; expected each table defined once".
    private func conflict(_ part: TOMLKey, found: String, path: String, existing: TOMLTable.Entry, expected: String)
        -> TOMLSyntaxError
    {
        source.error(
            at: part.offset, "found \(found), but \(path) is already \(describe(existing)); expected \(expected)")
    }

    /// What an entry is and where it comes from: "a string set on line 2".
    private func describe(_ entry: TOMLTable.Entry) -> String {
        switch entry {
        case .value(.table, let offset):
            "an inline table set on line \(source.line(of: offset)) (complete as written)"
        case .value(let node, let offset):
            "\(node.kindName) set on line \(source.line(of: offset))"
        case .arrayOfTables(let array):
            "an array of tables started on line \(source.line(of: array.offset))"
        case .table(let table):
            switch table.origin {
            case .implicit(let offset): "a table created by the header on line \(source.line(of: offset))"
            case .header(let offset): "a table defined on line \(source.line(of: offset))"
            case .dotted(_, let offset): "a table defined by dotted keys on line \(source.line(of: offset))"
            }
        }
    }
}

extension TOMLTable.Entry {
    fileprivate var isArrayOfTables: Bool {
        if case .arrayOfTables = self { true } else { false }
    }
}
