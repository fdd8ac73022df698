/// Escapes in basic strings: `\b \t \n \f \r \" \\`, and any Unicode scalar value as `\uXXXX` or
/// `\UXXXXXXXX` (surrogates, which are not scalar values, refused).
extension TOMLParser {
    static let escapesExpected = #"an escape: \b \t \n \f \r \" \\ \uXXXX or \UXXXXXXXX"#

    /// The escape at the cursor's '\': its character goes into `value`.
    mutating func appendEscape(to value: inout [UInt8]) throws(TOMLSyntaxError) {
        let start = scanner.index
        if let simple = Self.simpleEscape(scanner.peek(1)) {
            value.append(simple)
            scanner.index += 2
            return
        }
        let digits: Int
        switch scanner.peek(1) {
        case UInt8(ascii: "u"): digits = 4
        case UInt8(ascii: "U"): digits = 8
        default: throw escapeError(at: start, length: 2, expected: Self.escapesExpected)
        }
        var code: UInt32 = 0
        for offset in 2..<(2 + digits) {
            guard let byte = scanner.peek(offset), let digit = Self.hexValue(byte) else {
                let letter = digits == 4 ? "u" : "U"
                throw escapeError(at: start, length: 2 + digits, expected: "\\\(letter) and \(digits) hex digits")
            }
            code = code << 4 | UInt32(digit)
        }
        guard let scalar = Unicode.Scalar(code) else {
            let reason = (0xD800...0xDFFF).contains(code) ? "not a surrogate" : "at most \\U0010FFFF"
            throw escapeError(at: start, length: 2 + digits, expected: "a Unicode scalar value (\(reason))")
        }
        value.append(contentsOf: String(scalar).utf8)
        scanner.index += 2 + digits
    }

    /// The character that `\` and `letter` stand for, if they are one of the one-letter escapes.
    private static func simpleEscape(_ letter: UInt8?) -> UInt8? {
        switch letter {
        case UInt8(ascii: "b"): 0x08
        case UInt8(ascii: "t"): 0x09
        case UInt8(ascii: "n"): 0x0A
        case UInt8(ascii: "f"): 0x0C
        case UInt8(ascii: "r"): 0x0D
        case UInt8(ascii: "\""): UInt8(ascii: "\"")
        case UInt8(ascii: "\\"): UInt8(ascii: "\\")
        default: nil
        }
    }

    /// An error that quotes the escape from its '\' as the file has it: the character after it,
    /// then more, up to `length` bytes in all, while they are printable ASCII other than '"'.
    private func escapeError(at start: Int, length: Int, expected: String) -> TOMLSyntaxError {
        let source = scanner.source
        var end = start + 1
        guard end < source.count, !source.isLineEnd(at: end) else {
            return source.error(at: start, "found '\\' at \(source.found(at: end)), expected \(expected)")
        }
        end += source.scalarLength(at: end)
        while end < min(start + length, source.count), (0x21...0x7E).contains(source.bytes[end]),
            source.bytes[end] != UInt8(ascii: "\"")
        {
            end += 1
        }
        return source.error(
            at: start, "found \(source.quoted(source.text(from: start, to: end))), expected \(expected)")
    }

    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// `\u0007`: how a control character is written in a basic string.
    static func unicodeEscape(_ byte: UInt8) -> String {
        let hex = String(byte, radix: 16, uppercase: true)
        return "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
    }
}
