/// A table while its document is parsed: its entries so far, and how it came to exist, which
/// decides what may still add to it.
final class TOMLTable {
    /// How the table was created; offsets point at the key that created it, for errors.
    enum Origin {
        /// As the parent of a header's table (`a` for `[a.b]`): a header of its own may still
        /// define it, and dotted keys may still add to it.
        case implicit(offset: Int)
        /// By its own header, `[a]`, or as an element of `[[a]]`.
        case header(offset: Int)
        /// By a dotted key (`a.b = 1` creates `a`) in the section numbered `section`: only dotted
        /// keys of that section may add to it, and no header may define it.
        case dotted(section: Int, offset: Int)
    }

    enum Entry {
        /// A value as written after '='. Arrays and inline tables are complete: nothing adds to them.
        case value(TOMLNode, offset: Int)
        case table(TOMLTable)
        case arrayOfTables(TOMLTableArray)
    }

    var origin: Origin
    var entries: [String: Entry] = [:]

    init(_ origin: Origin) {
        self.origin = origin
    }

    /// The finished table.
    var node: [String: TOMLNode] {
        entries.mapValues { entry in
            switch entry {
            case .value(let node, _): node
            case .table(let table): .table(table.node)
            case .arrayOfTables(let array): .array(array.elements.map { .table($0.node) })
            }
        }
    }
}

/// The tables of `[[name]]` headers, a reference so that each header appends in place.
final class TOMLTableArray {
    var elements: [TOMLTable] = []
    /// Where the first header is, for errors.
    let offset: Int

    init(offset: Int) {
        self.offset = offset
    }
}
