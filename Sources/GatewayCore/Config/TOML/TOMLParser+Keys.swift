/// One part of a dotted key, with where it starts, for errors about it.
struct TOMLKey {
    var name: String
    var offset: Int
}

extension TOMLParser {
    /// A dotted key: simple keys (bare, "basic" or 'literal') joined by '.', with whitespace
    /// allowed around each dot. `expected` names what is missing when no key starts here.
    mutating func parseKey(expected: String) throws(TOMLSyntaxError) -> [TOMLKey] {
        var parts = [try parseSimpleKey(expected: expected)]
        while true {
            let beforeDot = scanner.index
            scanner.skipWhitespace()
            guard scanner.skip(".") else {
                scanner.index = beforeDot
                return parts
            }
            scanner.skipWhitespace()
            parts.append(try parseSimpleKey(expected: "a key after '.'"))
        }
    }

    private mutating func parseSimpleKey(expected: String) throws(TOMLSyntaxError) -> TOMLKey {
        let start = scanner.index
        switch scanner.current {
        case UInt8(ascii: "\"")?:
            if scanner.peek(1) == UInt8(ascii: "\""), scanner.peek(2) == UInt8(ascii: "\"") {
                throw scanner.error(expected: "\(expected) (a multi-line string cannot be a key)")
            }
            return TOMLKey(name: try parseBasicString(), offset: start)
        case UInt8(ascii: "'")?:
            if scanner.peek(1) == UInt8(ascii: "'"), scanner.peek(2) == UInt8(ascii: "'") {
                throw scanner.error(expected: "\(expected) (a multi-line string cannot be a key)")
            }
            return TOMLKey(name: try parseLiteralString(), offset: start)
        case let byte? where Self.isBareKeyByte(byte):
            while let byte = scanner.current, Self.isBareKeyByte(byte) { scanner.index += 1 }
            return TOMLKey(name: scanner.source.text(from: start, to: scanner.index), offset: start)
        default:
            throw scanner.error(expected: expected)
        }
    }

    /// A-Z, a-z, 0-9, '-' and '_': what a key may be made of without quotes.
    static func isBareKeyByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "-"):
            true
        default:
            false
        }
    }
}

extension [TOMLKey] {
    /// The key as a file would write it: `gateway.id`, `source."a.b"`.
    var written: String {
        map { $0.name.writtenAsKey }.joined(separator: ".")
    }
}

extension String {
    /// This key part as a file would write it: bare when it can be, quoted otherwise.
    var writtenAsKey: String {
        let isBare = !isEmpty && utf8.allSatisfy(TOMLParser.isBareKeyByte)
        return isBare ? self : tomlQuoted(self)
    }
}
