import Foundation

/// Validates JSON against a JSON Schema (draft 2020-12) that uses only the keywords implemented
/// here: `type` (with `integer`, `null` and arrays of types), `properties`, `required`,
/// `additionalProperties`, `items`, `enum`, `const`, `minimum`, `maximum`, `minLength`,
/// `maxLength`, `pattern`, and `$ref` to `#/$defs/<name>` with `$defs` at the root.
///
/// Any other keyword makes the schema itself an error, so a schema cannot slip past validation by
/// using a keyword nobody checks; the annotations `$schema`, `$id`, `title`, `description`,
/// `examples`, `$comment` and `default` are accepted and ignored.
///
/// Two deliberate departures from the specification:
/// - `integer` means written as an integer (no fraction, no exponent), where the specification
///   also accepts `1.0`: many hub languages decode `1.0` into an integer field with an error, so a
///   writer that produced it should fail here.
/// - `pattern` runs on ICU (`NSRegularExpression`), not ECMA-262. For the anchored
///   character-class patterns of `schemas/` they agree, except that ICU's `$` also matches before a
///   final line break and its `\d` matches any Unicode digit (the schemas write `[0-9]`).
public struct JSONSchemaValidator: Sendable {
    private let root: CompiledSchema
    private let definitions: [String: CompiledSchema]

    /// Nesting of `$ref` at one place of the instance beyond which a definition must refer to itself.
    private static let referenceDepthLimit = 64

    public init(schema: JSONInstance) throws {
        var compiler = SchemaCompiler()
        root = try compiler.compile(schema, at: "")
        var definitions: [String: CompiledSchema] = [:]
        if case .object(let members) = schema, let defs = members["$defs"] {
            guard case .object(let named) = defs else {
                throw JSONSchemaError(path: "/$defs", keyword: "$defs", "expected an object of schemas")
            }
            for (name, definition) in named {
                let path = JSONPointer.appending(name, to: "/$defs")
                definitions[name] = try compiler.compile(definition, at: path)
            }
        }
        for reference in compiler.references where definitions[reference.name] == nil {
            throw JSONSchemaError(path: reference.path, keyword: "$ref", "no \"\(reference.name)\" under $defs")
        }
        self.definitions = definitions
    }

    public init(schemaText: String) throws {
        try self.init(schema: JSONInstance(parsing: schemaText))
    }

    public init(contentsOf url: URL) throws {
        try self.init(schema: JSONInstance(parsing: Data(contentsOf: url)))
    }

    /// Every way `instance` fails the schema; empty when it is valid.
    public func violations(of instance: JSONInstance) -> [JSONSchemaViolation] {
        var violations: [JSONSchemaViolation] = []
        evaluate(root, instance, at: "", referenceDepth: 0, into: &violations)
        return violations
    }

    /// Throws `JSONSchemaValidationError` listing every violation, or a parse error for text that is
    /// not JSON.
    public func validate(_ text: String) throws {
        let violations = violations(of: try JSONInstance(parsing: text))
        guard violations.isEmpty else { throw JSONSchemaValidationError(violations: violations) }
    }

    private func evaluate(
        _ schema: CompiledSchema, _ instance: JSONInstance, at path: String, referenceDepth: Int,
        into violations: inout [JSONSchemaViolation]
    ) {
        let keywords: SchemaKeywords
        switch schema {
        case .always(true, _): return
        case .always(false, let schemaPath):
            violations.append(JSONSchemaViolation(path, "false", schemaPath: schemaPath, "no value is allowed here"))
            return
        case .keywords(let compiled): keywords = compiled
        }
        func fail(_ keyword: String, _ message: String) {
            let schemaPath = JSONPointer.appending(keyword, to: keywords.path)
            violations.append(JSONSchemaViolation(path, keyword, schemaPath: schemaPath, message))
        }

        if let reference = keywords.reference, let definition = definitions[reference] {
            if referenceDepth >= Self.referenceDepthLimit {
                fail("$ref", "more than \(Self.referenceDepthLimit) references in a row: the definitions loop")
            } else {
                evaluate(definition, instance, at: path, referenceDepth: referenceDepth + 1, into: &violations)
            }
        }
        if let types = keywords.types, !types.contains(where: { instance.hasType($0) }) {
            fail("type", "expected \(types.joined(separator: " or ")), found \(instance.typeName) \(instance)")
        }
        if let values = keywords.enumValues, !values.contains(instance) {
            fail("enum", "\(instance) is not one of \(values.map(\.description).joined(separator: ", "))")
        }
        if let value = keywords.constValue, value != instance {
            fail("const", "expected \(value), found \(instance)")
        }

        switch instance {
        case .number(let number, _):
            if let minimum = keywords.minimum, number < minimum {
                fail("minimum", "\(instance) is less than \(JSONInstance.number(minimum, isInteger: true))")
            }
            if let maximum = keywords.maximum, number > maximum {
                fail("maximum", "\(instance) is more than \(JSONInstance.number(maximum, isInteger: true))")
            }
        case .string(let string):
            let length = string.unicodeScalars.count
            if let minLength = keywords.minLength, length < minLength {
                fail("minLength", "\(length) characters, fewer than \(minLength)")
            }
            if let maxLength = keywords.maxLength, length > maxLength {
                fail("maxLength", "\(length) characters, more than \(maxLength)")
            }
            if let pattern = keywords.pattern {
                let range = NSRange(string.startIndex..., in: string)
                if pattern.regex.firstMatch(in: string, range: range) == nil {
                    fail("pattern", "\(instance) does not match \(pattern.source)")
                }
            }
        case .object(let members):
            for name in keywords.required where members[name] == nil {
                fail("required", "missing \"\(name)\"")
            }
            for (name, value) in members.sorted(by: { $0.key < $1.key }) {
                let memberPath = JSONPointer.appending(name, to: path)
                if let property = keywords.properties[name] {
                    evaluate(property, value, at: memberPath, referenceDepth: 0, into: &violations)
                } else if let additional = keywords.additionalProperties {
                    evaluate(additional, value, at: memberPath, referenceDepth: 0, into: &violations)
                }
            }
        case .array(let elements):
            if let items = keywords.items {
                for (index, element) in elements.enumerated() {
                    let elementPath = JSONPointer.appending(index, to: path)
                    evaluate(items, element, at: elementPath, referenceDepth: 0, into: &violations)
                }
            }
        case .null, .boolean:
            break
        }
    }
}

extension JSONInstance {
    /// Whether a value is of a JSON Schema type; every integer is also a number.
    func hasType(_ name: String) -> Bool {
        switch (name, self) {
        case ("number", .number): true
        default: name == typeName
        }
    }
}

/// One way an instance fails a schema: where in the instance, which keyword, and why.
public struct JSONSchemaViolation: Sendable, Equatable, CustomStringConvertible {
    /// A JSON pointer into the instance; empty for the whole document.
    public var path: String
    public var keyword: String
    /// A JSON pointer to the keyword in the schema (inside `$defs` when it came through `$ref`).
    public var schemaPath: String
    public var message: String

    public init(_ path: String, _ keyword: String, schemaPath: String, _ message: String) {
        self.path = path
        self.keyword = keyword
        self.schemaPath = schemaPath
        self.message = message
    }

    public var description: String {
        "\(path.isEmpty ? "(root)" : path): \(keyword) (schema \(schemaPath)): \(message)"
    }
}

public struct JSONSchemaValidationError: Error, CustomStringConvertible {
    public var violations: [JSONSchemaViolation]

    public var description: String {
        "\(violations.count) schema violation(s):\n" + violations.map { "  \($0)" }.joined(separator: "\n")
    }
}

/// A schema the validator refuses: malformed, or using a keyword it does not implement.
public struct JSONSchemaError: Error, CustomStringConvertible {
    /// A JSON pointer into the schema.
    public var path: String
    public var keyword: String?
    public var message: String

    public init(path: String, keyword: String?, _ message: String) {
        self.path = path
        self.keyword = keyword
        self.message = message
    }

    public var description: String {
        "schema \(path.isEmpty ? "(root)" : path): \(message)"
    }
}
