import TOMLKit

/// A parsed TOML value as plain Swift data: the one place that touches TOMLKit, whose types are
/// classes over a C++ tree. Everything after parsing reads these.
enum TOMLNode: Sendable, Equatable {
    case string(String)
    case integer(Int)
    case float(Double)
    case boolean(Bool)
    /// A date, time or date-time: no key takes one, so only its kind matters, for the message.
    case dateOrTime(kind: String)
    case array([TOMLNode])
    case table([String: TOMLNode])

    /// Parses a whole document into its root table.
    static func parseDocument(_ text: String) throws(TOMLSyntaxError) -> [String: TOMLNode] {
        // The parser takes a C string, which would end at a NUL byte and hide the rest of the file.
        if let nul = text.utf8.firstIndex(of: 0) {
            let before = text.utf8[..<nul]
            let line = before.count(where: { $0 == UInt8(ascii: "\n") }) + 1
            let column = before.reversed().prefix(while: { $0 != UInt8(ascii: "\n") }).count + 1
            throw TOMLSyntaxError(message: "a NUL byte; expected UTF-8 text", line: line, column: column)
        }
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw TOMLSyntaxError(
                message: escapingControlCharacters(error.description), line: error.source.begin.line,
                column: error.source.begin.column)
        } catch {
            throw TOMLSyntaxError(message: "\(error)", line: nil, column: nil)
        }
        return entries(of: table)
    }

    private static func entries(of table: TOMLTable) -> [String: TOMLNode] {
        var entries: [String: TOMLNode] = [:]
        for key in table.keys {
            if let value = table[key] { entries[key] = TOMLNode(value.tomlValue) }
        }
        return entries
    }

    private init(_ value: TOMLValue) {
        switch value.type {
        case .string: self = .string(value.string ?? "")
        case .int: self = .integer(value.int ?? 0)
        case .double: self = .float(value.double ?? .nan)
        case .bool: self = .boolean(value.bool ?? false)
        case .date: self = .dateOrTime(kind: "a date")
        case .time: self = .dateOrTime(kind: "a time")
        case .dateTime: self = .dateOrTime(kind: "a date-time")
        case .array: self = .array((value.array.map { Array($0) } ?? []).map { TOMLNode($0.tomlValue) })
        case .table: self = .table(value.table.map(Self.entries(of:)) ?? [:])
        }
    }

    /// The kind of value with its article, to follow "got": `an integer`, `a table`.
    var kindName: String {
        switch self {
        case .string: "a string"
        case .integer: "an integer"
        case .float: "a number"
        case .boolean: "a boolean"
        case .dateOrTime(let kind): kind
        case .array: "an array"
        case .table: "a table"
        }
    }

    /// The value as the file could write it, to follow "got": `"xml"`, `42`, or the kind for
    /// arrays and tables, which would not fit on one line.
    var shown: String {
        switch self {
        case .string(let text): tomlQuoted(text)
        case .integer(let number): "\(number)"
        case .float(let number): "\(number)"
        case .boolean(let flag): "\(flag)"
        case .dateOrTime, .array, .table: kindName
        }
    }
}

/// A document that is not TOML, with where the parser stopped.
struct TOMLSyntaxError: Error {
    var message: String
    var line: Int?
    var column: Int?
}

/// `text` with its control characters written as `\u007F`, for problem messages that quote the
/// file ("saw 't\u007F'"): a problem is printed as one line.
func escapingControlCharacters(_ text: String) -> String {
    guard text.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F }) else { return text }
    var result = ""
    for scalar in text.unicodeScalars {
        if scalar.value < 0x20 || scalar.value == 0x7F {
            let hex = String(scalar.value, radix: 16, uppercase: true)
            result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        } else {
            result.unicodeScalars.append(scalar)
        }
    }
    return result
}

/// `text` in double quotes, escaped as TOML would write it.
func tomlQuoted(_ text: String) -> String {
    var result = "\""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\"": result += "\\\""
        case "\\": result += "\\\\"
        case "\n": result += "\\n"
        case "\t": result += "\\t"
        case _ where scalar.value < 0x20 || scalar.value == 0x7F:
            let hex = String(scalar.value, radix: 16, uppercase: true)
            result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        default: result.unicodeScalars.append(scalar)
        }
    }
    return result + "\""
}
