/// A strict RFC 8259 JSON parser for payloads.
///
/// Hand-written rather than Foundation's `JSONSerialization` or `JSONDecoder` because this is the
/// ingest hot path and it needs control those do not give: it reads the MQTT client's buffer in
/// place without copying it, it stops at a nesting depth we choose with an error of its own, and
/// it checks UTF-8 strictly everywhere, so each kind of bad payload can be told apart in the
/// dead letters.
///
/// Strict means: no trailing commas, no comments, no leading zeros, no NaN or Infinity, no
/// single quotes, no unescaped control characters, no lone UTF-16 surrogates in `\u` escapes, no
/// byte-order mark, and nothing after the value but whitespace. A number that overflows a Double
/// (`1e999`) is refused as not finite; one that underflows reads as zero. Duplicate keys are
/// kept, and `JSONObject` lookups take the last. Invalid UTF-8 anywhere in the input is reported
/// as such, ahead of any other error, so binary payloads are named for what they are.
public enum JSONParser {
    /// Nesting deeper than this is refused whatever `maxDepth` asks for, so the recursive
    /// descent stays within a small thread stack.
    public static let depthCeiling = 512

    public static func parse(_ bytes: UnsafeRawBufferPointer, maxDepth: Int = 32) throws(JSONError) -> JSONValue {
        guard let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), bytes.count > 0 else {
            throw JSONError(.expectedValue, at: 0)
        }
        var parser = Parser(bytes: base, count: bytes.count, maxDepth: min(max(maxDepth, 0), depthCeiling))
        do throws(JSONError) {
            let value = try parser.parseValue(depth: 0)
            parser.skipWhitespace()
            guard parser.index == parser.count else { throw JSONError(.trailingText, at: parser.index) }
            return value
        } catch {
            if error.reason != .invalidUTF8, let offset = UTF8Validation.firstInvalidOffset(bytes) {
                throw JSONError(.invalidUTF8, at: offset)
            }
            throw error
        }
    }

    public static func parse(_ bytes: [UInt8], maxDepth: Int = 32) throws(JSONError) -> JSONValue {
        let result = bytes.withUnsafeBytes { buffer in
            Result { () throws(JSONError) in try parse(buffer, maxDepth: maxDepth) }
        }
        return try result.get()
    }
}

private struct Parser {
    let bytes: UnsafePointer<UInt8>
    let count: Int
    let maxDepth: Int
    var index = 0

    init(bytes: UnsafePointer<UInt8>, count: Int, maxDepth: Int) {
        self.bytes = bytes
        self.count = count
        self.maxDepth = maxDepth
    }

    @inline(__always)
    mutating func skipWhitespace() {
        while index < count {
            switch bytes[index] {
            case UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\t"): index += 1
            default: return
            }
        }
    }

    /// The next byte after whitespace, or nil at the end.
    @inline(__always)
    mutating func peek() -> UInt8? {
        skipWhitespace()
        return index < count ? bytes[index] : nil
    }

    mutating func parseValue(depth: Int) throws(JSONError) -> JSONValue {
        guard let byte = peek() else { throw JSONError(.unexpectedEnd, at: index) }
        switch byte {
        case UInt8(ascii: "{"): return try parseObject(depth: depth + 1)
        case UInt8(ascii: "["): return try parseArray(depth: depth + 1)
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try parseLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try parseLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try parseLiteral("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try parseNumber())
        default: throw JSONError(.expectedValue, at: index)
        }
    }

    mutating func parseObject(depth: Int) throws(JSONError) -> JSONValue {
        guard depth <= maxDepth else { throw JSONError(.tooDeep(limit: maxDepth), at: index) }
        index += 1
        var members: [JSONObject.Member] = []
        if peek() == UInt8(ascii: "}") {
            index += 1
            return .object(JSONObject(members: members))
        }
        members.reserveCapacity(4)
        while true {
            guard let byte = peek() else { throw JSONError(.unexpectedEnd, at: index) }
            guard byte == UInt8(ascii: "\"") else { throw JSONError(.expectedKey, at: index) }
            let key = try parseString()
            guard let colon = peek() else { throw JSONError(.unexpectedEnd, at: index) }
            guard colon == UInt8(ascii: ":") else { throw JSONError(.expectedColon, at: index) }
            index += 1
            let value = try parseValue(depth: depth)
            members.append(JSONObject.Member(key: key, value: value))
            switch peek() {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "}"): index += 1; return .object(JSONObject(members: members))
            case nil: throw JSONError(.unexpectedEnd, at: index)
            default: throw JSONError(.expectedCommaOrBrace, at: index)
            }
        }
    }

    mutating func parseArray(depth: Int) throws(JSONError) -> JSONValue {
        guard depth <= maxDepth else { throw JSONError(.tooDeep(limit: maxDepth), at: index) }
        index += 1
        var elements: [JSONValue] = []
        if peek() == UInt8(ascii: "]") {
            index += 1
            return .array(elements)
        }
        while true {
            elements.append(try parseValue(depth: depth))
            switch peek() {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "]"): index += 1; return .array(elements)
            case nil: throw JSONError(.unexpectedEnd, at: index)
            default: throw JSONError(.expectedCommaOrBracket, at: index)
            }
        }
    }

    mutating func parseLiteral(_ literal: StaticString) throws(JSONError) {
        let length = literal.utf8CodeUnitCount
        let start = index
        guard count - index >= length else {
            // Say "ends early" only when what is there is a prefix of the literal.
            for offset in 0..<(count - index) where bytes[index + offset] != literal.utf8Start[offset] {
                throw JSONError(.invalidLiteral, at: start)
            }
            throw JSONError(.unexpectedEnd, at: count)
        }
        for offset in 0..<length where bytes[index + offset] != literal.utf8Start[offset] {
            throw JSONError(.invalidLiteral, at: start)
        }
        index += length
    }

    // MARK: Strings

    /// A string whose opening quote is at `index`.
    mutating func parseString() throws(JSONError) -> String {
        index += 1
        let start = index
        // Fast path: no escapes, so the bytes become the string as they are.
        while index < count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                let text = String(decoding: UnsafeBufferPointer(start: bytes + start, count: index - start), as: UTF8.self)
                index += 1
                return text
            }
            if byte == UInt8(ascii: "\\") {
                return try parseEscapedString(from: start)
            }
            try advanceOverCharacter(byte)
        }
        throw JSONError(.unexpectedEnd, at: count)
    }

    /// Steps over one unescaped character of a string, checking it.
    @inline(__always)
    mutating func advanceOverCharacter(_ byte: UInt8) throws(JSONError) {
        if byte < 0x20 { throw JSONError(.controlCharacter, at: index) }
        if byte < 0x80 {
            index += 1
        } else if let length = UTF8Validation.sequenceLength(bytes, at: index, count: count) {
            index += length
        } else {
            throw JSONError(.invalidUTF8, at: index)
        }
    }

    /// The rest of a string that has escapes: copies into a buffer as it decodes them.
    mutating func parseEscapedString(from start: Int) throws(JSONError) -> String {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(index - start + 16)
        buffer.append(contentsOf: UnsafeBufferPointer(start: bytes + start, count: index - start))
        while index < count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                index += 1
                return String(decoding: buffer, as: UTF8.self)
            }
            if byte == UInt8(ascii: "\\") {
                try appendEscape(to: &buffer)
                continue
            }
            let characterStart = index
            try advanceOverCharacter(byte)
            buffer.append(contentsOf: UnsafeBufferPointer(start: bytes + characterStart, count: index - characterStart))
        }
        throw JSONError(.unexpectedEnd, at: count)
    }

    /// Decodes the escape whose backslash is at `index`.
    mutating func appendEscape(to buffer: inout [UInt8]) throws(JSONError) {
        let start = index
        guard index + 1 < count else { throw JSONError(.unexpectedEnd, at: count) }
        let letter = bytes[index + 1]
        index += 2
        switch letter {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): buffer.append(letter)
        case UInt8(ascii: "b"): buffer.append(0x08)
        case UInt8(ascii: "f"): buffer.append(0x0C)
        case UInt8(ascii: "n"): buffer.append(0x0A)
        case UInt8(ascii: "r"): buffer.append(0x0D)
        case UInt8(ascii: "t"): buffer.append(0x09)
        case UInt8(ascii: "u"):
            let unit = try readHex4()
            var scalarValue = UInt32(unit)
            switch unit {
            case 0xD800...0xDBFF:
                // A high surrogate must be followed at once by an escaped low one.
                guard index + 1 < count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u")
                else { throw JSONError(.unpairedSurrogate, at: start) }
                index += 2
                let low = try readHex4()
                guard (0xDC00...0xDFFF).contains(low) else { throw JSONError(.unpairedSurrogate, at: start) }
                scalarValue = 0x10000 + ((UInt32(unit) - 0xD800) << 10) + (UInt32(low) - 0xDC00)
            case 0xDC00...0xDFFF:
                throw JSONError(.unpairedSurrogate, at: start)
            default:
                break
            }
            // Not a surrogate, so always a valid scalar.
            let scalar = Unicode.Scalar(scalarValue) ?? "\u{FFFD}"
            buffer.append(contentsOf: UTF8.encode(scalar)!)
        default:
            throw JSONError(.invalidEscape, at: start)
        }
    }

    mutating func readHex4() throws(JSONError) -> UInt16 {
        var value: UInt16 = 0
        for offset in 0..<4 {
            guard index + offset < count else { throw JSONError(.unexpectedEnd, at: count) }
            let byte = bytes[index + offset]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw JSONError(.invalidEscape, at: index - 2)
            }
            value = value << 4 | UInt16(digit)
        }
        index += 4
        return value
    }

    // MARK: Numbers

    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`
    mutating func parseNumber() throws(JSONError) -> Double {
        let start = index
        var negative = false
        if bytes[index] == UInt8(ascii: "-") {
            negative = true
            index += 1
        }
        var accumulator = DecimalAccumulator()
        guard index < count, let first = asciiDigit(bytes[index]) else {
            throw JSONError(index < count ? .invalidNumber : .unexpectedEnd, at: start)
        }
        index += 1
        if first == 0 {
            if index < count, asciiDigit(bytes[index]) != nil { throw JSONError(.invalidNumber, at: start) }
        } else {
            accumulator.addIntegerDigit(first)
            while index < count, let digit = asciiDigit(bytes[index]) {
                accumulator.addIntegerDigit(digit)
                index += 1
            }
        }
        if index < count && bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard index < count, asciiDigit(bytes[index]) != nil else {
                throw JSONError(index < count ? .invalidNumber : .unexpectedEnd, at: start)
            }
            while index < count, let digit = asciiDigit(bytes[index]) {
                accumulator.addFractionDigit(digit)
                index += 1
            }
        }
        if index < count && (bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E")) {
            index += 1
            let buffer = UnsafeBufferPointer(start: bytes, count: count)
            guard let exponent = readExponent(buffer, &index) else {
                throw JSONError(index < count ? .invalidNumber : .unexpectedEnd, at: start)
            }
            accumulator.addExponent(exponent)
        }
        let magnitude = accumulator.magnitude(text: UnsafeBufferPointer(start: bytes + start, count: index - start))
        guard magnitude.isFinite else { throw JSONError(.notFinite, at: start) }
        return negative ? -magnitude : magnitude
    }
}
