/// The UTF-8 bytes of a TOML document, and how a place in them is shown in a syntax error: its
/// line and column, and what stands there.
///
/// Positions are byte offsets while parsing; lines and columns are counted only when an error is
/// reported, so a valid file never pays for them.
struct TOMLSource {
    let bytes: UnsafeBufferPointer<UInt8>

    var count: Int { bytes.count }

    /// Whether the file opens with a byte-order mark, which TOML allows there and only there.
    var hasByteOrderMark: Bool {
        count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF
    }

    /// The bytes between two offsets as text.
    func text(from start: Int, to end: Int) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
    }

    /// Whether a line ends at `offset`: LF, or CR LF.
    func isLineEnd(at offset: Int) -> Bool {
        guard offset < count else { return false }
        return bytes[offset] == UInt8(ascii: "\n")
            || (bytes[offset] == UInt8(ascii: "\r") && offset + 1 < count && bytes[offset + 1] == UInt8(ascii: "\n"))
    }

    /// The 1-based line and column of `offset`, the column counted in Unicode scalars.
    func location(of offset: Int) -> (line: Int, column: Int) {
        let offset = min(offset, count)
        var line = 1
        var lineStart = 0
        for index in 0..<offset where bytes[index] == UInt8(ascii: "\n") {
            line += 1
            lineStart = index + 1
        }
        // Editors do not show a byte-order mark, so it takes no column.
        if lineStart == 0 && hasByteOrderMark { lineStart = min(3, offset) }
        var column = 1
        for index in lineStart..<offset where bytes[index] & 0xC0 != 0x80 {
            column += 1
        }
        return (line, column)
    }

    /// The 1-based line of `offset`.
    func line(of offset: Int) -> Int {
        location(of: offset).line
    }

    /// A syntax error at `offset`: "found <what is there>, expected <expected>".
    func error(at offset: Int, expected: String) -> TOMLSyntaxError {
        error(at: offset, "found \(found(at: offset)), expected \(expected)")
    }

    func error(at offset: Int, _ message: String) -> TOMLSyntaxError {
        let (line, column) = location(of: offset)
        // What was found may be a control character of the file; a problem prints as one line.
        return TOMLSyntaxError(message: escapingControlCharacters(message), line: line, column: column)
    }

    /// What stands at `offset`, for "found …": the end of the line or of the file, a word such
    /// as `'tru'` or `'0x'` (numbers, keywords and bare keys read as one), a character that would
    /// not show as `U+FEFF`, or one character.
    func found(at offset: Int) -> String {
        guard offset < count else { return "the end of the file" }
        let byte = bytes[offset]
        if isLineEnd(at: offset) { return "the end of the line" }
        var end = offset + scalarLength(at: offset)
        if byte >= 0x80, let scalar = text(from: offset, to: end).unicodeScalars.first, Self.isInvisible(scalar) {
            let hex = String(scalar.value, radix: 16, uppercase: true)
            return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
        }
        guard Self.isWordByte(byte) else { return quoted(text(from: offset, to: end)) }
        while end < count, Self.isWordByte(bytes[end]), end - offset < Self.longestWord { end += 1 }
        let isCut = end < count && Self.isWordByte(bytes[end])
        return quoted(text(from: offset, to: end) + (isCut ? "…" : ""))
    }

    /// `text` in single quotes, or in double quotes when it holds a single quote but no double one.
    func quoted(_ text: String) -> String {
        text.contains("'") && !text.contains("\"") ? "\"\(text)\"" : "'\(text)'"
    }

    /// The number of bytes of the UTF-8 sequence whose first byte is at `offset`. The text came
    /// from a Swift `String`, so it is valid UTF-8.
    func scalarLength(at offset: Int) -> Int {
        switch bytes[offset] {
        case 0xF0...: min(4, count - offset)
        case 0xE0...: min(3, count - offset)
        case 0xC0...: min(2, count - offset)
        default: 1
        }
    }

    /// Characters that would not show between quotes: a stray byte-order mark, a no-break space,
    /// a C1 control, a line separator.
    private static func isInvisible(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .control, .format, .spaceSeparator, .lineSeparator, .paragraphSeparator, .unassigned, .privateUse,
            .surrogate:
            true
        default:
            false
        }
    }

    /// Long enough for any number, date or key a person writes; a longer word is cut with '…'.
    private static let longestWord = 32

    /// Bytes that make up a bare key, a number, a date or a keyword, shown together in errors.
    static func isWordByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "-"), UInt8(ascii: "+"),
            UInt8(ascii: "."), UInt8(ascii: ":"):
            true
        default:
            false
        }
    }
}
