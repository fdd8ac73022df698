/// Reads JSON text that `JSONSerialization` has already accepted and records, by JSON pointer, how
/// each number and boolean was written; see `JSONInstance.init(parsing:)` for why.
///
/// It trusts the syntax only as far as it must: anything it does not expect is an error, never a
/// guess.
struct JSONLiteralScanner {
    enum Kind: CustomStringConvertible {
        /// Digits with an optional minus sign: `0`, `-12`.
        case integer
        /// With a fraction or an exponent: `1.0`, `2e3`.
        case fraction
        case boolean

        var description: String {
            switch self {
            case .integer: "integer literal"
            case .fraction: "number literal"
            case .boolean: "boolean"
            }
        }
    }

    private let bytes: [UInt8]
    private var index = 0
    private var kinds: [String: Kind] = [:]

    private init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    static func scan(_ bytes: [UInt8]) throws -> [String: Kind] {
        var scanner = JSONLiteralScanner(bytes: bytes)
        try scanner.value(at: "")
        scanner.skipWhitespace()
        guard scanner.index == bytes.count else { throw scanner.failure("text after the value") }
        return scanner.kinds
    }

    private mutating func value(at pointer: String) throws {
        skipWhitespace()
        guard let byte = peek() else { throw failure("end of text where a value belongs") }
        switch byte {
        case UInt8(ascii: "{"):
            index += 1
            var keys: Set<String> = []
            skipWhitespace()
            if accept("}") { return }
            repeat {
                skipWhitespace()
                let key = try string()
                guard keys.insert(key).inserted else {
                    throw failure("duplicate key \"\(key)\" in the object at \(pointer.isEmpty ? "the root" : pointer)")
                }
                skipWhitespace()
                try expect(":")
                try value(at: JSONPointer.appending(key, to: pointer))
                skipWhitespace()
            } while accept(",")
            try expect("}")
        case UInt8(ascii: "["):
            index += 1
            skipWhitespace()
            if accept("]") { return }
            var count = 0
            repeat {
                try value(at: JSONPointer.appending(count, to: pointer))
                count += 1
                skipWhitespace()
            } while accept(",")
            try expect("]")
        case UInt8(ascii: "\""):
            _ = try string()
        case UInt8(ascii: "t"):
            try word("true")
            kinds[pointer] = .boolean
        case UInt8(ascii: "f"):
            try word("false")
            kinds[pointer] = .boolean
        case UInt8(ascii: "n"):
            try word("null")
        default:
            kinds[pointer] = try number()
        }
    }

    private mutating func number() throws -> Kind {
        let start = index
        var kind = Kind.integer
        while let byte = peek() {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "+"): break
            case UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"): kind = .fraction
            default:
                guard index > start else { throw failure("unexpected character") }
                return kind
            }
            index += 1
        }
        guard index > start else { throw failure("end of text in a number") }
        return kind
    }

    /// A string's value with its escapes undone, so keys compare as `JSONSerialization`'s do.
    private mutating func string() throws -> String {
        try expect("\"")
        var utf8: [UInt8] = []
        while true {
            guard let byte = peek() else { throw failure("end of text in a string") }
            index += 1
            switch byte {
            case UInt8(ascii: "\""):
                return String(decoding: utf8, as: UTF8.self)
            case UInt8(ascii: "\\"):
                guard let escaped = peek() else { throw failure("end of text in an escape") }
                index += 1
                switch escaped {
                case UInt8(ascii: "b"): utf8.append(0x08)
                case UInt8(ascii: "f"): utf8.append(0x0C)
                case UInt8(ascii: "n"): utf8.append(0x0A)
                case UInt8(ascii: "r"): utf8.append(0x0D)
                case UInt8(ascii: "t"): utf8.append(0x09)
                case UInt8(ascii: "u"): utf8.append(contentsOf: try unicodeEscape())
                default: utf8.append(escaped)  // \" \\ \/
                }
            default:
                utf8.append(byte)
            }
        }
    }

    /// The UTF-8 of a `\uXXXX` escape whose `\u` was read, joining a surrogate pair.
    private mutating func unicodeEscape() throws -> [UInt8] {
        var code = try hex4()
        if (0xD800..<0xDC00).contains(code), peek() == UInt8(ascii: "\\"), peek(1) == UInt8(ascii: "u") {
            let save = index
            index += 2
            let low = try hex4()
            if (0xDC00..<0xE000).contains(low) {
                code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
            } else {
                index = save
            }
        }
        let scalar = Unicode.Scalar(code) ?? "\u{FFFD}"
        return Array(String(Character(scalar)).utf8)
    }

    private mutating func hex4() throws -> UInt32 {
        guard index + 4 <= bytes.count,
            let code = UInt32(String(decoding: bytes[index..<index + 4], as: UTF8.self), radix: 16)
        else { throw failure("a \\u escape without four hex digits") }
        index += 4
        return code
    }

    private mutating func word(_ word: String) throws {
        let expected = Array(word.utf8)
        guard bytes.count - index >= expected.count, Array(bytes[index..<index + expected.count]) == expected else {
            throw failure("expected \(word)")
        }
        index += expected.count
    }

    private mutating func skipWhitespace() {
        while let byte = peek(), byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 {
            index += 1
        }
    }

    private func peek(_ offset: Int = 0) -> UInt8? {
        index + offset < bytes.count ? bytes[index + offset] : nil
    }

    private mutating func accept(_ character: Unicode.Scalar) -> Bool {
        guard peek() == UInt8(ascii: character) else { return false }
        index += 1
        return true
    }

    private mutating func expect(_ character: Unicode.Scalar) throws {
        guard accept(character) else { throw failure("expected '\(character)'") }
    }

    private func failure(_ what: String) -> JSONInstance.ParseError {
        JSONInstance.ParseError(description: "\(what) at byte \(index)")
    }
}
