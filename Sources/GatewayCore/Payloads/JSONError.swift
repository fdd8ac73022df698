/// Why a payload is not acceptable JSON, and the byte offset where that was found.
public struct JSONError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Reason: Sendable, Equatable {
        case unexpectedEnd
        case expectedValue
        case expectedKey
        case expectedColon
        case expectedCommaOrBrace
        case expectedCommaOrBracket
        case invalidLiteral
        case invalidNumber
        case notFinite
        case invalidEscape
        case unpairedSurrogate
        case controlCharacter
        case invalidUTF8
        case tooDeep(limit: Int)
        case trailingText
    }

    public var reason: Reason
    /// Offset of the first byte at fault, from the start of the payload.
    public var offset: Int

    public init(_ reason: Reason, at offset: Int) {
        self.reason = reason
        self.offset = offset
    }

    public var description: String {
        "\(reasonText) at byte \(offset)"
    }

    /// A short reason, free of payload content so it can be logged and stored.
    public var reasonText: String {
        switch reason {
        case .unexpectedEnd: "the text ends in the middle of a value"
        case .expectedValue: "expected a value"
        case .expectedKey: "expected a key in double quotes"
        case .expectedColon: "expected ':' after a key"
        case .expectedCommaOrBrace: "expected ',' or '}'"
        case .expectedCommaOrBracket: "expected ',' or ']'"
        case .invalidLiteral: "expected true, false or null"
        case .invalidNumber: "malformed number"
        case .notFinite: "not a finite number"
        case .invalidEscape: "invalid escape sequence"
        case .unpairedSurrogate: "a \\u escape is half of a UTF-16 surrogate pair"
        case .controlCharacter: "control character in a string; it must be escaped"
        case .invalidUTF8: "invalid UTF-8"
        case .tooDeep(let limit): "nested deeper than \(limit) levels"
        case .trailingText: "text after the end of the JSON value"
        }
    }
}
