// Contract: JSONSchemaValidator checks each keyword it implements as draft 2020-12 does (except that
// `integer` goes by the literal), names the instance path, the keyword and the schema path of every
// violation, and refuses a schema with any keyword it does not implement.
import Foundation
import Testing
import TestSupport

/// A schema, an instance, and the keywords expected to fail at which instance paths (none: valid).
struct ValidationCase: Sendable, CustomTestStringConvertible {
    var schema: String
    var instance: String
    var failures: [String]

    init(_ schema: String, _ instance: String, _ failures: String...) {
        self.schema = schema
        self.instance = instance
        self.failures = failures
    }

    var testDescription: String {
        "\(instance) against \(schema): " + (failures.isEmpty ? "valid" : failures.joined(separator: ", "))
    }
}

@Suite("JSON Schema validator")
struct JSONSchemaValidatorTests {
    /// Each failure as `<instance path> <keyword>`.
    func failures(_ schema: String, _ instance: String) throws -> [String] {
        try JSONSchemaValidator(schemaText: schema).violations(of: JSONInstance(parsing: instance))
            .map { "\($0.path) \($0.keyword)" }
    }

    func check(_ test: ValidationCase) throws {
        let found = try failures(test.schema, test.instance)
        #expect(found == test.failures.map { $0.hasPrefix("/") ? $0 : " " + $0 }, "\(test.testDescription)")
    }

    static let typeCases = [
        ValidationCase(#"{"type": "integer"}"#, "3"),
        ValidationCase(#"{"type": "integer"}"#, "-9223372036854775808"),
        ValidationCase(#"{"type": "integer"}"#, "3.5", "type"),
        ValidationCase(#"{"type": "integer"}"#, "3.0", "type"),
        ValidationCase(#"{"type": "integer"}"#, "1e2", "type"),
        ValidationCase(#"{"type": "integer"}"#, #""3""#, "type"),
        ValidationCase(#"{"type": "integer"}"#, "true", "type"),
        ValidationCase(#"{"type": "number"}"#, "3"),
        ValidationCase(#"{"type": "number"}"#, "-3.5e-7"),
        ValidationCase(#"{"type": "number"}"#, "false", "type"),
        ValidationCase(#"{"type": "number"}"#, "null", "type"),
        ValidationCase(#"{"type": "null"}"#, "null"),
        ValidationCase(#"{"type": "null"}"#, "0", "type"),
        ValidationCase(#"{"type": "null"}"#, #""""#, "type"),
        ValidationCase(#"{"type": "boolean"}"#, "false"),
        ValidationCase(#"{"type": "boolean"}"#, "0", "type"),
        ValidationCase(#"{"type": "string"}"#, #""""#),
        ValidationCase(#"{"type": "string"}"#, "null", "type"),
        ValidationCase(#"{"type": "array"}"#, "[]"),
        ValidationCase(#"{"type": "array"}"#, "{}", "type"),
        ValidationCase(#"{"type": "object"}"#, "{}"),
        ValidationCase(#"{"type": "object"}"#, "[]", "type"),
        ValidationCase(#"{"type": ["number", "null"]}"#, "null"),
        ValidationCase(#"{"type": ["number", "null"]}"#, "1.5"),
        ValidationCase(#"{"type": ["number", "null"]}"#, #""1.5""#, "type"),
        ValidationCase(#"{"type": ["integer", "string"]}"#, "2.5", "type"),
    ]

    @Test("type: integer goes by the literal, every integer is a number, null is a type", arguments: typeCases)
    func type(_ test: ValidationCase) throws {
        try check(test)
    }

    static let objectCases = [
        ValidationCase(#"{"properties": {"a": {"type": "integer"}}}"#, #"{"a": 1}"#),
        ValidationCase(#"{"properties": {"a": {"type": "integer"}}}"#, #"{"a": "x"}"#, "/a type"),
        ValidationCase(#"{"properties": {"a": {"type": "integer"}}}"#, "{}"),
        ValidationCase(#"{"properties": {"a": {"type": "integer"}}}"#, "5"),
        ValidationCase(#"{"properties": {"a/b~c": {"type": "integer"}}}"#, #"{"a/b~c": null}"#, "/a~1b~0c type"),
        ValidationCase(#"{"required": ["a", "b"]}"#, #"{"a": 1, "b": null}"#),
        ValidationCase(#"{"required": ["a", "b"]}"#, #"{"a": 1}"#, "required"),
        ValidationCase(#"{"required": ["a", "b"]}"#, "{}", "required", "required"),
        ValidationCase(#"{"required": ["a"]}"#, "[]"),
        ValidationCase(#"{"properties": {"a": true}, "additionalProperties": false}"#, #"{"a": 1}"#),
        ValidationCase(#"{"properties": {"a": true}, "additionalProperties": false}"#, #"{"a": 1, "b": 2}"#, "/b false"),
        ValidationCase(#"{"additionalProperties": {"type": "integer"}}"#, #"{"x": 1, "y": 2}"#),
        ValidationCase(#"{"additionalProperties": {"type": "integer"}}"#, #"{"x": 1, "y": 2.5}"#, "/y type"),
        ValidationCase(#"{"properties": {"x": {"type": "string"}}}"#, #"{"x": "s", "y": 2.5}"#),
        ValidationCase(#"{"properties": {"a": false}}"#, #"{"a": null}"#, "/a false"),
    ]

    @Test("properties, required and additionalProperties apply to objects only", arguments: objectCases)
    func objects(_ test: ValidationCase) throws {
        try check(test)
    }

    static let arrayCases = [
        ValidationCase(#"{"items": {"type": "integer"}}"#, "[1, 2]"),
        ValidationCase(#"{"items": {"type": "integer"}}"#, "[]"),
        ValidationCase(#"{"items": {"type": "integer"}}"#, #"[1, "2", 3.5]"#, "/1 type", "/2 type"),
        ValidationCase(#"{"items": {"type": "integer"}}"#, #""not an array""#),
        ValidationCase(#"{"items": {"required": ["a"]}}"#, #"[{"a": 1}, {"b": 1}]"#, "/1 required"),
        ValidationCase(#"{"items": false}"#, "[]"),
        ValidationCase(#"{"items": false}"#, "[0]", "/0 false"),
    ]

    @Test("items applies its schema to every element", arguments: arrayCases)
    func arrays(_ test: ValidationCase) throws {
        try check(test)
    }

    static let valueCases = [
        ValidationCase(#"{"enum": ["a", 1, null]}"#, #""a""#),
        ValidationCase(#"{"enum": ["a", 1, null]}"#, "1.0"),
        ValidationCase(#"{"enum": ["a", 1, null]}"#, "null"),
        ValidationCase(#"{"enum": ["a", 1, null]}"#, #""b""#, "enum"),
        ValidationCase(#"{"enum": ["a", 1, null]}"#, "true", "enum"),
        ValidationCase(#"{"enum": [{"a": [1, 2]}]}"#, #"{"a": [1, 2]}"#),
        ValidationCase(#"{"enum": [{"a": [1, 2]}]}"#, #"{"a": [2, 1]}"#, "enum"),
        ValidationCase(#"{"const": "x"}"#, #""x""#),
        ValidationCase(#"{"const": "x"}"#, #""X""#, "const"),
        ValidationCase(#"{"const": 0}"#, "0"),
        ValidationCase(#"{"const": 0}"#, "false", "const"),
        ValidationCase(#"{"const": null}"#, "0", "const"),
    ]

    @Test("enum and const compare as JSON: numbers by value, a boolean is no number", arguments: valueCases)
    func values(_ test: ValidationCase) throws {
        try check(test)
    }

    static let boundCases = [
        ValidationCase(#"{"minimum": 1}"#, "1"),
        ValidationCase(#"{"minimum": 1}"#, "1e300"),
        ValidationCase(#"{"minimum": 1}"#, "0", "minimum"),
        ValidationCase(#"{"minimum": 1}"#, "0.999", "minimum"),
        ValidationCase(#"{"minimum": 1}"#, "-9223372036854775808", "minimum"),
        ValidationCase(#"{"minimum": 1}"#, #""0""#),
        ValidationCase(#"{"minimum": -5.5}"#, "-5.5"),
        ValidationCase(#"{"minimum": -5.5}"#, "-6", "minimum"),
        ValidationCase(#"{"maximum": 10}"#, "10"),
        ValidationCase(#"{"maximum": 10}"#, "-1.7976931348623157e308"),
        ValidationCase(#"{"maximum": 10}"#, "10.5", "maximum"),
        ValidationCase(#"{"minimum": 0, "maximum": 0}"#, "-0.0"),
        ValidationCase(#"{"minLength": 2, "maxLength": 3}"#, #""ab""#),
        ValidationCase(#"{"minLength": 2, "maxLength": 3}"#, #""a""#, "minLength"),
        ValidationCase(#"{"minLength": 2, "maxLength": 3}"#, #""abcd""#, "maxLength"),
        ValidationCase(#"{"minLength": 2, "maxLength": 3}"#, #""é€😀""#),
        ValidationCase(#"{"minLength": 2, "maxLength": 3}"#, #""😀""#, "minLength"),
        ValidationCase(#"{"minLength": 2, "maxLength": 3}"#, "7"),
    ]

    @Test("minimum and maximum are inclusive; lengths count code points", arguments: boundCases)
    func bounds(_ test: ValidationCase) throws {
        try check(test)
    }

    static let patternCases = [
        ValidationCase(#"{"pattern": "^[a-z]+$"}"#, #""abc""#),
        ValidationCase(#"{"pattern": "^[a-z]+$"}"#, #""abC""#, "pattern"),
        ValidationCase(#"{"pattern": "^[a-z]+$"}"#, #""""#, "pattern"),
        ValidationCase(#"{"pattern": "b"}"#, #""abc""#),
        ValidationCase(#"{"pattern": "^[0-9]{2}$"}"#, #""١٢""#, "pattern"),
        ValidationCase(#"{"pattern": "^[0-9]{2}$"}"#, "12"),
        // ICU, unlike ECMA-262, lets `$` match before a final line break (documented on the validator).
        ValidationCase(#"{"pattern": "^a$"}"#, #""a\n""#),
        ValidationCase(#"{"pattern": "^a$"}"#, #""a\nb""#, "pattern"),
    ]

    @Test("pattern searches the string, anchors where the pattern says", arguments: patternCases)
    func patterns(_ test: ValidationCase) throws {
        try check(test)
    }

    static let positive = ##"{"$defs": {"pos": {"type": "integer", "minimum": 1}}, "properties": {"n": {"$ref": "#/$defs/pos"}}}"##
    static let tree = ##"""
        {"$defs": {"node": {"type": "object", "properties": {"kids": {"type": "array", "items": {"$ref": "#/$defs/node"}}}}},
         "$ref": "#/$defs/node"}
        """##

    static let referenceCases = [
        ValidationCase(positive, #"{"n": 1}"#),
        ValidationCase(positive, #"{"n": 0}"#, "/n minimum"),
        ValidationCase(##"{"$defs": {"s": {"type": "string"}}, "$ref": "#/$defs/s", "maxLength": 2}"##, #""abc""#, "maxLength"),
        ValidationCase(##"{"$defs": {"s": {"type": "string"}}, "$ref": "#/$defs/s", "maxLength": 2}"##, "1", "type"),
        ValidationCase(##"{"$defs": {"a~b/c": {"type": "null"}}, "$ref": "#/$defs/a~0b~1c"}"##, "null"),
        ValidationCase(tree, #"{"kids": [{"kids": []}, {"kids": [{}]}]}"#),
        ValidationCase(tree, #"{"kids": [{"kids": []}, {"kids": [7]}]}"#, "/kids/1/kids/0 type"),
        ValidationCase(##"{"$defs": {"a": {"$ref": "#/$defs/b"}, "b": {"$ref": "#/$defs/a"}}, "$ref": "#/$defs/a"}"##, "1", "$ref"),
    ]

    @Test("$ref to $defs applies the definition beside its siblings, recursion included", arguments: referenceCases)
    func references(_ test: ValidationCase) throws {
        try check(test)
    }

    @Test("annotations are accepted and assert nothing")
    func annotations() throws {
        let schema = #"""
            {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": "https://example.org/s.json",
             "title": "t", "description": "d", "examples": [1], "$comment": "c", "default": 1,
             "properties": {"a": {"title": "a", "description": "an a", "default": null, "examples": []}}}
            """#
        #expect(try failures(schema, #"{"a": "anything"}"#).isEmpty)
        #expect(try failures("true", "[1]").isEmpty)
        #expect(try failures("false", "[1]") == [" false"])
    }

    @Test("a violation names the instance path, the keyword and the schema path, through $ref too")
    func violationDetails() throws {
        let validator = try JSONSchemaValidator(schemaText: #"""
            {"$defs": {"count": {"type": "integer", "minimum": 1}},
             "properties": {"items": {"items": {"properties": {"count": {"$ref": "#/$defs/count"}}}}}}
            """#)
        let violations = validator.violations(of: try JSONInstance(parsing: #"{"items": [{"count": 1}, {"count": 0}]}"#))
        #expect(violations == [
            JSONSchemaViolation("/items/1/count", "minimum", schemaPath: "/$defs/count/minimum", "0 is less than 1")
        ])
        #expect(violations.first?.description == "/items/1/count: minimum (schema /$defs/count/minimum): 0 is less than 1")
        do {
            try validator.validate(#"{"items": [{"count": 2.5}]}"#)
            Issue.record("2.5 passed as an integer")
        } catch let error as JSONSchemaValidationError {
            #expect(error.violations.map(\.keyword) == ["type"])
            #expect(error.description.contains("/items/0/count: type"), "\(error)")
        }
    }

    static let unimplemented = [
        "allOf", "anyOf", "oneOf", "not", "if", "then", "else", "format", "minItems", "maxItems", "uniqueItems",
        "contains", "prefixItems", "patternProperties", "propertyNames", "dependentRequired", "dependentSchemas",
        "unevaluatedProperties", "unevaluatedItems", "exclusiveMinimum", "exclusiveMaximum", "multipleOf",
        "minProperties", "maxProperties", "$anchor", "$dynamicRef", "$dynamicAnchor", "$vocabulary", "definitions",
        "contentEncoding", "deprecated", "readOnly", "nullable", "typo",
    ]

    @Test("a keyword the validator does not implement makes the schema an error, wherever it is", arguments: unimplemented)
    func unimplementedKeyword(_ keyword: String) throws {
        for (schema, path) in [
            (#"{"\#(keyword)": 1}"#, "/\(keyword)"),
            (#"{"properties": {"a": {"type": "string", "\#(keyword)": 1}}}"#, "/properties/a/\(keyword)"),
            (#"{"items": {"\#(keyword)": 1}}"#, "/items/\(keyword)"),
            (#"{"additionalProperties": {"\#(keyword)": 1}}"#, "/additionalProperties/\(keyword)"),
            (#"{"$defs": {"x": {"\#(keyword)": 1}}}"#, "/$defs/x/\(keyword)"),
        ] {
            let error = #expect(throws: JSONSchemaError.self) { try JSONSchemaValidator(schemaText: schema) }
            #expect(error?.path == path)
            #expect(error?.keyword == keyword)
            #expect(error?.description.contains("not implemented") == true, "\(String(describing: error))")
        }
    }

    static let malformed: [(schema: String, path: String)] = [
        ("3", ""),
        (#"{"type": "int"}"#, "/type"),
        (#"{"type": []}"#, "/type"),
        (#"{"type": ["string", "string"]}"#, "/type"),
        (#"{"required": "a"}"#, "/required"),
        (#"{"required": ["a", 1]}"#, "/required"),
        (#"{"properties": []}"#, "/properties"),
        (#"{"properties": {"a": 1}}"#, "/properties/a"),
        (#"{"items": [{"type": "string"}]}"#, "/items"),
        (#"{"enum": []}"#, "/enum"),
        (#"{"minimum": "1"}"#, "/minimum"),
        (#"{"minLength": 1.5}"#, "/minLength"),
        (#"{"maxLength": -1}"#, "/maxLength"),
        (#"{"pattern": "("}"#, "/pattern"),
        (##"{"$ref": "other.json#/$defs/a"}"##, "/$ref"),
        (##"{"$ref": "#/properties/a"}"##, "/$ref"),
        (##"{"$ref": "#/$defs/missing"}"##, "/$ref"),
        (##"{"$defs": {"a": {}}, "properties": {"b": {"$ref": "#/$defs/a/b"}}}"##, "/properties/b/$ref"),
        (#"{"$schema": "http://json-schema.org/draft-07/schema#"}"#, "/$schema"),
        (#"{"properties": {"a": {"$schema": "https://json-schema.org/draft/2020-12/schema"}}}"#, "/properties/a/$schema"),
        (#"{"properties": {"a": {"$id": "a.json"}}}"#, "/properties/a/$id"),
        (#"{"$defs": {"a": {"$defs": {}}}}"#, "/$defs/a/$defs"),
        (#"{"$defs": []}"#, "/$defs"),
        (#"{"title": 1}"#, "/title"),
    ]

    @Test("a malformed schema is an error that says where")
    func malformedSchemas() {
        for (schema, path) in Self.malformed {
            let error = #expect(throws: JSONSchemaError.self, "\(schema)") { try JSONSchemaValidator(schemaText: schema) }
            #expect(error?.path == path, "\(schema): \(String(describing: error))")
        }
    }
}
