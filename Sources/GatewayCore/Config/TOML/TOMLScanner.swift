/// A position in a TOML document and the moves over what the grammar treats alike everywhere:
/// whitespace, comments and line ends.
struct TOMLScanner {
    let source: TOMLSource
    var index = 0

    init(_ source: TOMLSource) {
        self.source = source
        // A byte-order mark may open the file, and only there.
        if source.hasByteOrderMark { index = 3 }
    }

    var isAtEnd: Bool { index >= source.count }

    /// The byte at `index`, or nil at the end of the file.
    var current: UInt8? { index < source.count ? source.bytes[index] : nil }

    /// The byte `offset` bytes after `index`, or nil past the end.
    func peek(_ offset: Int) -> UInt8? {
        index + offset < source.count ? source.bytes[index + offset] : nil
    }

    func isAt(_ ascii: Unicode.Scalar) -> Bool {
        current == UInt8(ascii: ascii)
    }

    /// Steps over `ascii` if it is next.
    mutating func skip(_ ascii: Unicode.Scalar) -> Bool {
        guard isAt(ascii) else { return false }
        index += 1
        return true
    }

    /// Steps over `ascii`, or reports what stands there instead. (The messages are built only
    /// for an error: building them for every token would cost more than the parsing.)
    mutating func expect(_ ascii: Unicode.Scalar, _ expected: @autoclosure () -> String) throws(TOMLSyntaxError) {
        guard skip(ascii) else { throw error(expected: expected()) }
    }

    /// "found <what is at the cursor>, expected <expected>".
    func error(expected: String) -> TOMLSyntaxError {
        source.error(at: index, expected: expected)
    }

    /// Spaces and tabs.
    mutating func skipWhitespace() {
        while let byte = current, byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") { index += 1 }
    }

    /// Whether a line ends here: LF, or CR LF.
    var isAtNewline: Bool {
        source.isLineEnd(at: index)
    }

    /// Steps over a line end if one is next.
    mutating func skipNewline() -> Bool {
        guard isAtNewline else { return false }
        index += isAt("\r") ? 2 : 1
        return true
    }

    /// Steps over a comment if one starts here, up to the line end. Comments take any text but
    /// control characters other than tab.
    mutating func skipComment() throws(TOMLSyntaxError) {
        guard skip("#") else { return }
        while let byte = current, !isAtNewline {
            if Self.isControl(byte) {
                throw error(expected: "text in a comment (control characters other than tab are not allowed)")
            }
            index += 1
        }
    }

    /// Whitespace, then a comment, then the line end or the end of the file: what must follow a
    /// key/value pair or a table header (`after` says which, like "after the header [a]").
    mutating func finishLine(after: @autoclosure () -> String) throws(TOMLSyntaxError) {
        skipWhitespace()
        try skipComment()
        guard isAtEnd || skipNewline() else { throw error(expected: "the end of the line \(after())") }
    }

    /// Whitespace, comments and line ends, as arrays allow between their values.
    mutating func skipBlankLines() throws(TOMLSyntaxError) {
        while true {
            skipWhitespace()
            try skipComment()
            guard skipNewline() else { return }
        }
    }

    /// Control characters, which TOML allows nowhere but as tab (and line ends where lines may end).
    static func isControl(_ byte: UInt8) -> Bool {
        (byte < 0x20 && byte != UInt8(ascii: "\t")) || byte == 0x7F
    }
}
