import Foundation

/// A JSON value as a JSON Schema sees it: a number remembers whether it was written as an integer.
///
/// Numbers keep their value as a Double, which is exact for every integer up to 2^53 and close
/// enough beyond for `minimum` and `maximum`.
public indirect enum JSONInstance: Sendable {
    case null
    case boolean(Bool)
    /// `isInteger`: written without a fraction or an exponent, such as `42` or `-7`.
    case number(Double, isInteger: Bool)
    case string(String)
    case array([JSONInstance])
    case object([String: JSONInstance])
}

extension JSONInstance: Equatable {
    /// JSON equality, as `enum` and `const` use it: numbers by value (`1` equals `1.0`), objects
    /// regardless of key order.
    public static func == (lhs: JSONInstance, rhs: JSONInstance) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): true
        case (.boolean(let a), .boolean(let b)): a == b
        case (.number(let a, _), .number(let b, _)): a == b
        case (.string(let a), .string(let b)): a == b
        case (.array(let a), .array(let b)): a == b
        case (.object(let a), .object(let b)): a == b
        default: false
        }
    }
}

extension JSONInstance: CustomStringConvertible {
    /// Short and readable, for messages: strings quoted, containers summarised.
    public var description: String {
        switch self {
        case .null: "null"
        case .boolean(let value): value ? "true" : "false"
        case .number(let value, let isInteger):
            if isInteger, let whole = Int64(exactly: value) { String(whole) } else { "\(value)" }
        case .string(let value): "\"\(value)\""
        case .array(let elements): "an array of \(elements.count)"
        case .object(let members): "an object of \(members.count)"
        }
    }

    /// The JSON Schema type name: `integer` for numbers written as integers.
    public var typeName: String {
        switch self {
        case .null: "null"
        case .boolean: "boolean"
        case .number(_, let isInteger): isInteger ? "integer" : "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }
}

// MARK: - Parsing

extension JSONInstance {
    public struct ParseError: Error, CustomStringConvertible {
        public var description: String
    }

    public init(parsing text: String) throws {
        try self.init(parsing: Data(text.utf8))
    }

    /// Parses UTF-8 JSON text with Foundation's `JSONSerialization`.
    ///
    /// `JSONSerialization` hands numbers and booleans back as `NSNumber`, and which kind of
    /// `NSNumber` depends on the Foundation build and the literal's length: on Linux a 20-digit
    /// integer comes back as an `NSDecimalNumber` that no longer tells it from `1.000…0`, and any
    /// `NSNumber` casts to `Bool` as readily as to `Int`. So the kind of each
    /// number is taken from its literal instead: `JSONLiteralScanner` reads the same text once more
    /// and records, by JSON pointer, whether each number was written as an integer and which tokens
    /// were `true` or `false`. It also rejects duplicate keys, which `JSONSerialization` silently
    /// collapses to one.
    public init(parsing data: Data) throws {
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        } catch {
            throw ParseError(description: "not JSON: \(error.localizedDescription)")
        }
        let literals = try JSONLiteralScanner.scan([UInt8](data))
        self = try JSONInstance(object, at: "", literals: literals)
    }

    private init(_ object: Any, at pointer: String, literals: [String: JSONLiteralScanner.Kind]) throws {
        if let kind = literals[pointer] {
            guard let number = object as? NSNumber else {
                throw ParseError(description: "\(pointer): the scan saw a \(kind) where JSONSerialization did not")
            }
            switch kind {
            case .boolean: self = .boolean(number.boolValue)
            case .integer: self = .number(number.doubleValue, isInteger: true)
            case .fraction: self = .number(number.doubleValue, isInteger: false)
            }
        } else if object is NSNull {
            self = .null
        } else if let string = object as? String {
            self = .string(string)
        } else if let elements = object as? [Any] {
            self = .array(
                try elements.enumerated().map { index, element in
                    try JSONInstance(element, at: "\(pointer)/\(index)", literals: literals)
                })
        } else if let members = object as? [String: Any] {
            var converted: [String: JSONInstance] = [:]
            for (key, value) in members {
                converted[key] = try JSONInstance(value, at: JSONPointer.appending(key, to: pointer), literals: literals)
            }
            self = .object(converted)
        } else {
            throw ParseError(description: "\(pointer): unexpected \(type(of: object)) from JSONSerialization")
        }
    }
}

/// RFC 6901 JSON pointers, as violations name where they are.
public enum JSONPointer {
    /// `pointer` with one more reference token: `~` is written `~0` and `/` is written `~1`.
    public static func appending(_ token: String, to pointer: String) -> String {
        pointer + "/" + token.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
    }

    public static func appending(_ index: Int, to pointer: String) -> String {
        "\(pointer)/\(index)"
    }

    /// A reference token with its escapes undone.
    public static func unescape(_ token: some StringProtocol) -> String {
        token.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
    }
}
