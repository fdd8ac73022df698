import Foundation

/// A schema checked and compiled by `JSONSchemaValidator`: every keyword it holds is one the
/// validator implements.
indirect enum CompiledSchema: Sendable {
    /// The `true` and `false` schemas, and where they are.
    case always(Bool, path: String)
    case keywords(SchemaKeywords)
}

/// The assertions of one schema object; nil or empty where the keyword is absent.
struct SchemaKeywords: Sendable {
    /// Where this schema object is, as a JSON pointer into the schema document.
    var path: String
    var types: [String]?
    var properties: [String: CompiledSchema] = [:]
    var required: [String] = []
    var additionalProperties: CompiledSchema?
    var items: CompiledSchema?
    var enumValues: [JSONInstance]?
    var constValue: JSONInstance?
    var minimum: Double?
    var maximum: Double?
    var minLength: Int?
    var maxLength: Int?
    var pattern: (source: String, regex: NSRegularExpression)?
    /// The name under the root's `$defs`.
    var reference: String?

    init(path: String) {
        self.path = path
    }
}

/// Turns a schema document into `CompiledSchema`, refusing any keyword the validator does not
/// implement.
struct SchemaCompiler {
    static let draft = "https://json-schema.org/draft/2020-12/schema"
    static let typeNames: Set<String> = ["null", "boolean", "integer", "number", "string", "array", "object"]
    /// Keywords that assert nothing; accepted and ignored.
    static let annotations: Set<String> = ["$schema", "$id", "title", "description", "examples", "$comment", "default"]
    static let assertions: Set<String> = [
        "type", "properties", "required", "additionalProperties", "items", "enum", "const", "minimum", "maximum",
        "minLength", "maxLength", "pattern", "$ref", "$defs",
    ]

    /// Names referenced by `$ref`, checked against `$defs` once the whole document is compiled.
    private(set) var references: [(name: String, path: String)] = []

    mutating func compile(_ schema: JSONInstance, at path: String) throws -> CompiledSchema {
        let members: [String: JSONInstance]
        switch schema {
        case .boolean(let value): return .always(value, path: path)
        case .object(let object): members = object
        default: throw JSONSchemaError(path: path, keyword: nil, "a schema is an object or a boolean, not \(schema)")
        }
        let isRoot = path.isEmpty
        var compiled = SchemaKeywords(path: path)
        for (keyword, value) in members.sorted(by: { $0.key < $1.key }) {
            let at = JSONPointer.appending(keyword, to: path)
            func fail(_ message: String) -> JSONSchemaError {
                JSONSchemaError(path: at, keyword: keyword, message)
            }
            switch keyword {
            case "$schema":
                guard isRoot, value == .string(Self.draft) else { throw fail("only \"\(Self.draft)\", at the root") }
            case "$id":
                // Only the root may have one: a nested $id would move what "#" means for $ref.
                guard isRoot, case .string = value else { throw fail("only a string, at the root") }
            case "title", "description", "$comment":
                guard case .string = value else { throw fail("expected a string") }
            case "examples":
                guard case .array = value else { throw fail("expected an array") }
            case "default":
                break
            case "type":
                switch value {
                case .string(let name) where Self.typeNames.contains(name):
                    compiled.types = [name]
                case .array(let names) where !names.isEmpty:
                    let strings = names.compactMap { name -> String? in
                        guard case .string(let name) = name, Self.typeNames.contains(name) else { return nil }
                        return name
                    }
                    guard strings.count == names.count, Set(strings).count == strings.count else {
                        throw fail("expected distinct names from \(Self.typeNames.sorted())")
                    }
                    compiled.types = strings
                default:
                    throw fail("expected a type name or a non-empty array of them")
                }
            case "properties":
                guard case .object(let properties) = value else { throw fail("expected an object of schemas") }
                for (name, schema) in properties {
                    compiled.properties[name] = try compile(schema, at: JSONPointer.appending(name, to: at))
                }
            case "required":
                guard case .array(let names) = value else { throw fail("expected an array of strings") }
                compiled.required = try names.map { name in
                    guard case .string(let name) = name else { throw fail("expected an array of strings") }
                    return name
                }
                guard Set(compiled.required).count == compiled.required.count else { throw fail("names repeat") }
            case "additionalProperties":
                compiled.additionalProperties = try compile(value, at: at)
            case "items":
                // The array form of draft 2019-09 is `prefixItems` in 2020-12, which is not implemented.
                compiled.items = try compile(value, at: at)
            case "enum":
                guard case .array(let values) = value, !values.isEmpty else { throw fail("expected a non-empty array") }
                compiled.enumValues = values
            case "const":
                compiled.constValue = value
            case "minimum", "maximum":
                guard case .number(let bound, _) = value else { throw fail("expected a number") }
                if keyword == "minimum" { compiled.minimum = bound } else { compiled.maximum = bound }
            case "minLength", "maxLength":
                guard case .number(let bound, isInteger: true) = value, bound >= 0, let length = Int(exactly: bound)
                else { throw fail("expected an integer of at least 0") }
                if keyword == "minLength" { compiled.minLength = length } else { compiled.maxLength = length }
            case "pattern":
                guard case .string(let source) = value else { throw fail("expected a string") }
                do {
                    compiled.pattern = (source, try NSRegularExpression(pattern: source))
                } catch {
                    throw fail("not a regular expression: \(source)")
                }
            case "$ref":
                guard case .string(let reference) = value, reference.hasPrefix("#/$defs/") else {
                    throw fail("only references to \"#/$defs/<name>\" are supported")
                }
                let token = reference.dropFirst("#/$defs/".count)
                guard !token.isEmpty, !token.contains("/") else { throw fail("only one name after #/$defs/") }
                let name = JSONPointer.unescape(token)
                compiled.reference = name
                references.append((name, at))
            case "$defs":
                // $ref resolves against the root only, so definitions live there.
                guard isRoot else { throw fail("only at the root") }
                // Compiled by `JSONSchemaValidator`, which keeps them by name.
            default:
                throw fail(
                    "not implemented by this validator, so a schema that uses it cannot be checked; it implements "
                        + Self.assertions.sorted().joined(separator: ", "))
            }
        }
        return .keywords(compiled)
    }
}
