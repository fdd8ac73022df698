/// A TOML 1.0 parser that reads the UTF-8 bytes of a document once, front to back, and reports
/// the first thing that is not TOML as a `TOMLSyntaxError` with its line and column: what was
/// found there and what was expected.
///
/// Written for the configuration file rather than taken from a library so that no input can
/// crash it (a parser with assertions in it aborts the daemon on a typo) and so that every
/// message can say what it found. It is byte-based; the input comes from a Swift `String`, so it
/// is valid UTF-8. Nesting of tables and arrays is limited to `maxDepth` levels, so a hostile
/// file cannot exhaust the stack.
///
/// The grammar is split by what it reads: keys, values (with arrays and inline tables), strings,
/// numbers, dates and times. `TOMLTableBuilder` enforces what may be defined where.
struct TOMLParser {
    /// Tables and arrays nested deeper than this are refused: far more than a configuration needs.
    static let maxDepth = 64

    var scanner: TOMLScanner
    private var tables: TOMLTableBuilder
    /// How many tables deep the current section's table is: `[a.b]` is 2.
    private var sectionDepth = 0

    private init(_ source: TOMLSource) {
        scanner = TOMLScanner(source)
        tables = TOMLTableBuilder(source)
    }

    /// The root table of the document in `bytes`.
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) throws(TOMLSyntaxError) -> [String: TOMLNode] {
        let source = TOMLSource(bytes: bytes)
        // A NUL byte means the file is not text (a binary, a torn write): say so wherever it is,
        // ahead of any syntax error before it.
        if let nul = bytes.firstIndex(of: 0) {
            throw source.error(at: nul, "a NUL byte; expected UTF-8 text")
        }
        var parser = TOMLParser(source)
        while true {
            try parser.scanner.skipBlankLines()
            guard !parser.scanner.isAtEnd else { return parser.tables.document }
            if parser.scanner.isAt("[") {
                try parser.parseHeader()
            } else {
                try parser.parseKeyValue()
            }
        }
    }

    /// `[a.b]` or `[[a.b]]`, then the end of the line.
    private mutating func parseHeader() throws(TOMLSyntaxError) {
        scanner.index += 1
        let isArray = scanner.skip("[")
        scanner.skipWhitespace()
        let key = try parseKey(expected: isArray ? "the name of an array of tables" : "a table name")
        scanner.skipWhitespace()
        let shown = { isArray ? "[[\(key.written)]]" : "[\(key.written)]" }
        try scanner.expect("]", "']' to close the header \(shown())")
        if isArray { try scanner.expect("]", "']' right after ']' to close the header \(shown())") }
        try checkDepth(key.count, at: key[0].offset)
        if isArray {
            try tables.appendTable(key)
        } else {
            try tables.openTable(key)
        }
        sectionDepth = key.count
        try scanner.finishLine(after: "after the header \(shown())")
    }

    /// `key = value`, then the end of the line.
    private mutating func parseKeyValue() throws(TOMLSyntaxError) {
        let key = try parseKey(expected: "a key, a [table] header or a comment")
        scanner.skipWhitespace()
        try scanner.expect("=", "'=' after the key \(key.written)")
        scanner.skipWhitespace()
        let depth = sectionDepth + key.count - 1
        try checkDepth(depth, at: key[0].offset)
        let value = try parseValue(depth: depth)
        try tables.insert(key, value)
        try scanner.finishLine(after: "after the value of \(key.written)")
    }
}
