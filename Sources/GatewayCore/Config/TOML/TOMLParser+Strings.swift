/// The four kinds of string: "basic" with escapes, 'literal' as written, and a multi-line form
/// of each (`"""` and `'''`) whose first line end, right after the opening quotes, is dropped.
extension TOMLParser {
    /// A string value of any kind, at its opening quote.
    mutating func parseString() throws(TOMLSyntaxError) -> String {
        let quote = scanner.current
        let isMultiline = scanner.peek(1) == quote && scanner.peek(2) == quote
        switch (quote == UInt8(ascii: "\""), isMultiline) {
        case (true, false): return try parseBasicString()
        case (true, true): return try parseMultilineString(quote: "\"")
        case (false, false): return try parseLiteralString()
        case (false, true): return try parseMultilineString(quote: "'")
        }
    }

    /// A "basic" string on one line, at its opening quote.
    mutating func parseBasicString() throws(TOMLSyntaxError) -> String {
        scanner.index += 1
        let start = scanner.index
        // Most strings have no escape: their bytes are the value as they are.
        while let byte = scanner.current, byte != UInt8(ascii: "\\") {
            if byte == UInt8(ascii: "\"") {
                scanner.index += 1
                return scanner.source.text(from: start, to: scanner.index - 1)
            }
            try checkStringByte(byte, closing: "\"", literal: false)
            scanner.index += 1
        }
        var value = Array(scanner.source.bytes[start..<scanner.index])
        while let byte = scanner.current {
            if byte == UInt8(ascii: "\"") {
                scanner.index += 1
                return String(decoding: value, as: UTF8.self)
            }
            if byte == UInt8(ascii: "\\") {
                try appendEscape(to: &value)
            } else {
                try checkStringByte(byte, closing: "\"", literal: false)
                value.append(byte)
                scanner.index += 1
            }
        }
        throw scanner.error(expected: "'\"' to close the string")
    }

    /// A 'literal' string on one line, at its opening quote: no escapes.
    mutating func parseLiteralString() throws(TOMLSyntaxError) -> String {
        scanner.index += 1
        let start = scanner.index
        while let byte = scanner.current {
            if byte == UInt8(ascii: "'") {
                scanner.index += 1
                return scanner.source.text(from: start, to: scanner.index - 1)
            }
            try checkStringByte(byte, closing: "'", literal: true)
            scanner.index += 1
        }
        throw scanner.error(expected: "\"'\" to close the string")
    }

    /// A multi-line string, at its three opening quotes. Line ends come out as LF whether the
    /// file has LF or CR LF.
    private mutating func parseMultilineString(quote: Unicode.Scalar) throws(TOMLSyntaxError) -> String {
        let isBasic = quote == "\""
        let quoteByte = UInt8(ascii: quote)
        let opening = scanner.index
        scanner.index += 3
        _ = scanner.skipNewline()
        var value: [UInt8] = []
        while let byte = scanner.current {
            if byte == quoteByte {
                // Up to two quotes may stand right before the closing three, as part of the text;
                // a sixth is left for the caller to refuse.
                var run = 0
                while scanner.current == quoteByte, run < 5 {
                    scanner.index += 1
                    run += 1
                }
                guard run < 3 else {
                    value.append(contentsOf: repeatElement(quoteByte, count: run - 3))
                    return String(decoding: value, as: UTF8.self)
                }
                value.append(contentsOf: repeatElement(quoteByte, count: run))
            } else if isBasic && byte == UInt8(ascii: "\\") {
                if !skipLineEndingBackslash() { try appendEscape(to: &value) }
            } else if scanner.skipNewline() {
                value.append(UInt8(ascii: "\n"))
            } else {
                try checkStringByte(byte, closing: nil, literal: !isBasic)
                value.append(byte)
                scanner.index += 1
            }
        }
        let delimiter = scanner.source.quoted(String(repeating: String(quote), count: 3))
        let line = scanner.source.line(of: opening)
        throw scanner.error(expected: "\(delimiter) to close the multi-line string opened on line \(line)")
    }

    /// A '\' at the end of a line (spaces may follow it) in a multi-line basic string: it and all
    /// whitespace and line ends after it are dropped. False, moving nothing, for any other '\'.
    private mutating func skipLineEndingBackslash() -> Bool {
        let backslash = scanner.index
        scanner.index += 1
        scanner.skipWhitespace()
        guard scanner.skipNewline() else {
            scanner.index = backslash
            return false
        }
        while true {
            scanner.skipWhitespace()
            guard scanner.skipNewline() else { return true }
        }
    }

    /// Refuses a byte that no string may hold as it is: a control character other than tab, or
    /// the end of the line in a one-line string, which `closing` would close (nil: multi-line).
    private func checkStringByte(_ byte: UInt8, closing: String?, literal: Bool) throws(TOMLSyntaxError) {
        guard TOMLScanner.isControl(byte) else { return }
        if let closing, scanner.isAtNewline {
            let quote = scanner.source.quoted(closing)
            throw scanner.error(expected: "\(quote) to close the string (only multi-line strings span lines)")
        }
        if literal {
            throw scanner.error(expected: "text (a literal string cannot hold control characters other than tab)")
        }
        let escape = Self.unicodeEscape(byte)
        throw scanner.error(expected: "text (a control character in a string must be escaped, as \(escape))")
    }
}
