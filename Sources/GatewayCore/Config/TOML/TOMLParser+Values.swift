/// Values: which kind starts at the cursor, and the two that hold others, arrays and inline
/// tables, each counted against the nesting limit.
extension TOMLParser {
    static let valueExpected = "a value: a string, a number, true or false, a date, an array or an inline table"

    /// The value at the cursor. `depth` counts the tables and arrays around it; `expected` says
    /// what the error names when no value starts here.
    mutating func parseValue(depth: Int, expected: String = valueExpected) throws(TOMLSyntaxError) -> TOMLNode {
        switch scanner.current {
        case UInt8(ascii: "\"")?, UInt8(ascii: "'")?:
            return .string(try parseString())
        case UInt8(ascii: "t")?:
            return .boolean(try parseKeyword("true", true))
        case UInt8(ascii: "f")?:
            return .boolean(try parseKeyword("false", false))
        case UInt8(ascii: "[")?:
            return try parseArray(depth: depth + 1)
        case UInt8(ascii: "{")?:
            return try parseInlineTable(depth: depth + 1)
        case let byte? where Self.isDigit(byte):
            return startsDateOrTime() ? try parseDateOrTime() : try parseNumber()
        case UInt8(ascii: "+")?, UInt8(ascii: "-")?, UInt8(ascii: "i")?, UInt8(ascii: "n")?:
            return try parseNumber()
        default:
            throw scanner.error(expected: expected)
        }
    }

    /// `true` or `false`, as a whole word: `trueish` is no boolean.
    private mutating func parseKeyword(_ word: String, _ value: Bool) throws(TOMLSyntaxError) -> Bool {
        let end = scanner.index + word.utf8.count
        guard end <= scanner.source.count, word.utf8.elementsEqual(scanner.source.bytes[scanner.index..<end]),
            !(end < scanner.source.count && TOMLSource.isWordByte(scanner.source.bytes[end]))
        else {
            throw scanner.error(expected: Self.valueExpected)
        }
        scanner.index = end
        return value
    }

    /// `[1, "two", [3]]`: any values, which may differ in kind, over several lines with comments,
    /// with or without a comma after the last.
    private mutating func parseArray(depth: Int) throws(TOMLSyntaxError) -> TOMLNode {
        try checkDepth(depth, at: scanner.index)
        let opening = scanner.index
        scanner.index += 1
        var elements: [TOMLNode] = []
        while true {
            try scanner.skipBlankLines()
            if scanner.skip("]") { return .array(elements) }
            try checkNotAtEnd(closing: "']'", of: "array", openedAt: opening)
            elements.append(try parseValue(depth: depth, expected: "a value or ']'"))
            try scanner.skipBlankLines()
            if scanner.skip("]") { return .array(elements) }
            try checkNotAtEnd(closing: "',' or ']'", of: "array", openedAt: opening)
            try scanner.expect(",", "',' or ']' after the array's value")
        }
    }

    /// `{ name = "local", port = 1883 }`: key/value pairs on one line, no comma after the last.
    /// Complete as written: nothing may add to it later.
    private mutating func parseInlineTable(depth: Int) throws(TOMLSyntaxError) -> TOMLNode {
        try checkDepth(depth, at: scanner.index)
        scanner.index += 1
        var table = TOMLTableBuilder(scanner.source)
        scanner.skipWhitespace()
        if scanner.skip("}") { return .table(table.document) }
        while true {
            scanner.skipWhitespace()
            let key = try parseKey(
                expected: table.isEmpty
                    ? "a key or '}' (an inline table stays on one line)"
                    : "a key (an inline table has no ',' after its last value)")
            scanner.skipWhitespace()
            try scanner.expect("=", "'=' after the key \(key.written)")
            scanner.skipWhitespace()
            let valueDepth = depth + key.count - 1
            try checkDepth(valueDepth, at: key[0].offset)
            try table.insert(key, try parseValue(depth: valueDepth))
            scanner.skipWhitespace()
            if scanner.skip("}") { return .table(table.document) }
            try scanner.expect(",", "',' or '}' (an inline table stays on one line)")
        }
    }

    /// At the end of the file, an error that says which bracket is still open, and where.
    private func checkNotAtEnd(closing: String, of what: String, openedAt opening: Int) throws(TOMLSyntaxError) {
        guard scanner.isAtEnd else { return }
        throw scanner.error(
            expected: "\(closing) to close the \(what) opened on line \(scanner.source.line(of: opening))")
    }

    /// Refuses nesting deeper than `maxDepth`, so that hostile input cannot exhaust the stack.
    func checkDepth(_ depth: Int, at offset: Int) throws(TOMLSyntaxError) {
        guard depth > Self.maxDepth else { return }
        throw scanner.source.error(
            at: offset, "found tables and arrays nested \(depth) levels deep, expected at most \(Self.maxDepth)")
    }
}
