// Contract: JSONInstance(parsing:) reads JSON with JSONSerialization and tells an integer from
// another number by how it was written, whatever NSNumber Foundation chose for it; booleans are
// never numbers; duplicate keys and text that is not JSON are errors.
import Foundation
import Testing
import TestSupport

@Suite("JSON instances for schema validation")
struct JSONInstanceParsingTests {
    @Test(
        "a number written without fraction or exponent is an integer, at any size",
        arguments: [
            "0", "-0", "7", "-3", "9007199254740993", "9223372036854775807", "-9223372036854775808",
            "18446744073709551615", "18446744073709551616", "100000000000000000000000",
        ])
    func integerLiterals(_ literal: String) throws {
        let instance = try JSONInstance(parsing: literal)
        guard case .number(let value, let isInteger) = instance else {
            Issue.record("\(literal) read as \(instance)")
            return
        }
        #expect(isInteger)
        #expect(value == Double(literal))
        #expect(instance.typeName == "integer")
    }

    @Test(
        "a number written with a fraction or an exponent is not an integer, even when whole",
        arguments: [
            "1.0", "-0.0", "1e2", "1E2", "2.5", "-1.5e-3", "1.00000000000000000000", "5e-324",
            "1.7976931348623157e308", "123456789012345678901234567890.5",
        ])
    func fractionLiterals(_ literal: String) throws {
        let instance = try JSONInstance(parsing: literal)
        guard case .number(let value, let isInteger) = instance else {
            Issue.record("\(literal) read as \(instance)")
            return
        }
        #expect(!isInteger)
        #expect(value == Double(literal))
        #expect(instance.typeName == "number")
    }

    @Test("true and false are booleans, not the numbers NSNumber holds them as")
    func booleans() throws {
        #expect(try JSONInstance(parsing: "true") == .boolean(true))
        #expect(try JSONInstance(parsing: "false") == .boolean(false))
        #expect(try JSONInstance(parsing: "[true, 1, 0, false]") == .array([
            .boolean(true), .number(1, isInteger: true), .number(0, isInteger: true), .boolean(false),
        ]))
    }

    @Test("numbers deep in objects and arrays keep their kind, under keys that need escaping")
    func nested() throws {
        let text = #"{"a/b": {"~c": [1, 1.5, true, 2.0]}, "é": 2, "\u00e9x": 3.0, "k\"q": false, "s": "1", "n": null}"#
        let instance = try JSONInstance(parsing: text)
        #expect(instance == .object([
            "a/b": .object([
                "~c": .array([
                    .number(1, isInteger: true), .number(1.5, isInteger: false), .boolean(true),
                    .number(2, isInteger: false),
                ])
            ]),
            "é": .number(2, isInteger: true),
            "éx": .number(3, isInteger: false),
            "k\"q": .boolean(false),
            "s": .string("1"),
            "n": .null,
        ]))
        guard case .object(let members) = instance, case .object(let inner) = members["a/b"],
            case .array(let elements) = inner["~c"]
        else {
            Issue.record("unexpected shape \(instance)")
            return
        }
        #expect(elements.map(\.typeName) == ["integer", "number", "boolean", "number"])
        #expect(members["é"]?.typeName == "integer")
        #expect(members["éx"]?.typeName == "number")
    }

    @Test("strings come back with their escapes undone, surrogate pairs included")
    func strings() throws {
        #expect(try JSONInstance(parsing: #""caf\u00e9 \ud83d\ude00 \"q\" \\ \/ \n""#) == .string("café 😀 \"q\" \\ / \n"))
        #expect(try JSONInstance(parsing: #"{"\ud83d\ude00": 1.5}"#) == .object(["😀": .number(1.5, isInteger: false)]))
    }

    @Test(
        "a key that appears twice in one object is an error, however it is escaped",
        arguments: [#"{"a": 1, "a": 2}"#, #"{"x": {"a": 1, "b": 2, "a": "3"}}"#, #"[{"a": 1, "\u0061": 2}]"#])
    func duplicateKeys(_ text: String) {
        #expect(throws: JSONInstance.ParseError.self) { try JSONInstance(parsing: text) }
    }

    @Test("the same key in two objects is fine")
    func sameKeyInTwoObjects() throws {
        #expect(try JSONInstance(parsing: #"[{"a": 1}, {"a": 2}]"#) == .array([
            .object(["a": .number(1, isInteger: true)]), .object(["a": .number(2, isInteger: true)]),
        ]))
    }

    @Test("text that is not JSON is an error", arguments: ["", "{", "[1,]", "01", "nan", "{'a': 1}", "[1] 2", "tru"])
    func notJSON(_ text: String) {
        #expect(throws: JSONInstance.ParseError.self) { try JSONInstance(parsing: text) }
    }

    @Test("numbers equal by value, objects regardless of key order")
    func equality() throws {
        #expect(try JSONInstance(parsing: "1") == JSONInstance(parsing: "1.0"))
        #expect(try JSONInstance(parsing: #"{"a": 1, "b": [2]}"#) == JSONInstance(parsing: #"{"b": [2.0], "a": 1}"#))
        #expect(try JSONInstance(parsing: "0") != JSONInstance(parsing: "false"))
        #expect(try JSONInstance(parsing: "null") != JSONInstance(parsing: "0"))
        #expect(try JSONInstance(parsing: "[1, 2]") != JSONInstance(parsing: "[2, 1]"))
    }
}
