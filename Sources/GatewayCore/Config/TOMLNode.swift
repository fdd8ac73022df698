/// A parsed TOML value as plain Swift data, as `TOMLParser` builds it. Everything after parsing
/// reads these.
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
        var text = text
        let result = text.withUTF8 { bytes in
            Result { () throws(TOMLSyntaxError) in try TOMLParser.parse(bytes) }
        }
        return try result.get()
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
