import Testing

@testable import GatewayCore

@Suite("JSON parser")
struct PayloadJSONParserTests {
    func parse(_ text: String, maxDepth: Int = 32) throws(JSONError) -> JSONValue {
        try JSONParser.parse(Array(text.utf8), maxDepth: maxDepth)
    }

    func error(_ text: String, maxDepth: Int = 32) -> JSONError? {
        error(bytes: Array(text.utf8), maxDepth: maxDepth)
    }

    func error(bytes: [UInt8], maxDepth: Int = 32) -> JSONError? {
        do {
            _ = try JSONParser.parse(bytes, maxDepth: maxDepth)
            return nil
        } catch {
            return error
        }
    }

    @Test("every kind of value is read")
    func values() throws {
        let value = try parse(#" {"n":-1.5e2, "s":"x", "t":true, "f":false, "z":null, "a":[1,[]], "o":{}} "#)
        #expect(value == .object(JSONObject(members: [
            .init(key: "n", value: .number(-150)),
            .init(key: "s", value: .string("x")),
            .init(key: "t", value: .bool(true)),
            .init(key: "f", value: .bool(false)),
            .init(key: "z", value: .null),
            .init(key: "a", value: .array([.number(1), .array([])])),
            .init(key: "o", value: .object(JSONObject(members: []))),
        ])))
    }

    @Test("scalars may stand at the top level")
    func topLevelScalars() throws {
        #expect(try parse("42") == .number(42))
        #expect(try parse(#""a""#) == .string("a"))
        #expect(try parse("null") == .null)
        #expect(try parse("\t\r\n true \n") == .bool(true))
    }

    @Test("object lookups take the last of duplicate keys")
    func duplicates() throws {
        guard case .object(let object) = try parse(#"{"a":1,"b":2,"a":3}"#) else { Issue.record(); return }
        #expect(object["a"] == .number(3))
        #expect(object["b"] == .number(2))
        #expect(object["c"] == nil)
        #expect(object.members.count == 3)
    }

    @Test("escapes decode, including surrogate pairs", arguments: [
        (#""\"\\\/\b\f\n\r\t""#, "\"\\/\u{8}\u{C}\n\r\t"),
        (#""caf\u00e9""#, "café"),
        (#""\u00E9\u4E2D""#, "é中"),
        (#""\ud83d\ude00""#, "😀"),
        (#""a\u0000b""#, "a\u{0}b"),
        (#""plain é 中 😀""#, "plain é 中 😀"),
        (#""é\n""#, "é\n"),
    ])
    func escapes(json: String, expected: String) throws {
        #expect(try parse(json) == .string(expected))
    }

    @Test("bad strings are refused with the reason and offset", arguments: [
        (#""\x""#, JSONError.Reason.invalidEscape, 1),
        (#""\u12""#, .invalidEscape, 1),
        (#""\u12G4""#, .invalidEscape, 1),
        (#""\ud800""#, .unpairedSurrogate, 1),
        (#""\ud800\u0041""#, .unpairedSurrogate, 1),
        (#""\ud800x""#, .unpairedSurrogate, 1),
        (#""\udc00""#, .unpairedSurrogate, 1),
        ("\"a\tb\"", .controlCharacter, 2),
        ("\"a\nb\"", .controlCharacter, 2),
        (#""abc"#, .unexpectedEnd, 4),
        (#""ab\"#, .unexpectedEnd, 4),
    ])
    func badStrings(json: String, reason: JSONError.Reason, offset: Int) {
        #expect(error(json) == JSONError(reason, at: offset))
    }

    /// Swift's own conversion is correctly rounded, so it is the reference for every number.
    @Test("numbers read exactly as the correctly rounded Double", arguments: [
        "0", "-0", "1", "-1", "2.41", "0.1", "0.30000000000000004", "1764165540123", "1764165540.123",
        "9007199254740993", "9007199254740992", "18446744073709551615", "18446744073709551616",
        "123456789012345678901234567890", "1e22", "1e23", "1.5e-22", "1e-23", "2.2250738585072011e-308",
        "4.9e-324", "1e-400", "1.7976931348623157e308", "0.000000000000000000000000000001234",
        "1E+3", "1e-3", "1E3", "100e-2", "12345678901234567890e-10", "0.1e1", "-2.5E-3", "1.0", "10.00",
    ])
    func numbers(text: String) throws {
        let expected = try #require(Double(text))
        let parsed = try parse(text)
        #expect(parsed == .number(expected))
        if case .number(let value) = parsed {
            #expect(value.sign == expected.sign)
        }
    }

    @Test("random decimal numbers read exactly as the correctly rounded Double")
    func randomNumbers() throws {
        var random = SeededRandom(seed: 8428)
        var wrong: [String] = []
        for _ in 0..<5000 {
            var text = random.next() % 4 == 0 ? "-" : ""
            let integerDigits = Int(random.next() % 20)
            text += integerDigits == 0 ? "0" : String(random.next() % 9 + 1)
            for _ in 0..<max(0, integerDigits - 1) { text += String(random.next() % 10) }
            if random.next() % 2 == 0 {
                text += "."
                for _ in 0..<(random.next() % 20 + 1) { text += String(random.next() % 10) }
            }
            if random.next() % 3 == 0 {
                text += ["e", "E", "e+", "e-", "E-"][Int(random.next() % 5)] + String(random.next() % 330)
            }
            let expected = Double(text)!
            guard expected.isFinite else {
                if error(text)?.reason != .notFinite { wrong.append(text) }
                continue
            }
            if (try? parse(text)) != .number(expected) { wrong.append(text) }
        }
        #expect(wrong.isEmpty)
    }

    @Test("malformed numbers are refused", arguments: [
        "01", "-01", "00", "-", "1.", ".5", "1e", "1e+", "+1", "0x10", "1.5e3.2", "--1", "1.e3", "-.5", "- 1",
    ])
    func malformedNumbers(text: String) {
        let reason = error(text)?.reason
        #expect(reason == .invalidNumber || reason == .unexpectedEnd || reason == .trailingText || reason == .expectedValue)
    }

    @Test("NaN and Infinity are not JSON", arguments: ["NaN", "Infinity", "-Infinity", "nan", "inf"])
    func nonFiniteLiterals(text: String) {
        #expect(error(text) != nil)
    }

    @Test("numbers beyond a Double are not finite")
    func overflow() {
        #expect(error("1e999") == JSONError(.notFinite, at: 0))
        #expect(error("[1, -1e309]") == JSONError(.notFinite, at: 4))
        #expect(error("1.7976931348623159e308") == JSONError(.notFinite, at: 0))
        #expect(error("1" + String(repeating: "0", count: 400)) == JSONError(.notFinite, at: 0))
    }

    @Test("structure errors name what was expected and where", arguments: [
        ("", JSONError.Reason.expectedValue, 0),
        ("   ", .unexpectedEnd, 3),
        (#"{"a":1,}"#, .expectedKey, 7),
        ("[1,]", .expectedValue, 3),
        (#"{"a" 1}"#, .expectedColon, 5),
        (#"{"a":1 "b":2}"#, .expectedCommaOrBrace, 7),
        ("[1 2]", .expectedCommaOrBracket, 3),
        ("{1:2}", .expectedKey, 1),
        ("[tru]", .invalidLiteral, 1),
        ("nul", .unexpectedEnd, 3),
        ("nulx", .invalidLiteral, 0),
        ("truex", .trailingText, 4),
        ("{} {}", .trailingText, 3),
        ("[", .unexpectedEnd, 1),
        (#"{"a":"#, .unexpectedEnd, 5),
        ("// c\n1", .expectedValue, 0),
        ("\u{FEFF}1", .expectedValue, 0),
        ("\u{A0}1", .expectedValue, 0),
        ("\u{C}1", .expectedValue, 0),
    ])
    func structureErrors(json: String, reason: JSONError.Reason, offset: Int) {
        #expect(error(json) == JSONError(reason, at: offset))
    }

    @Test("nesting is allowed up to the limit and refused beyond it")
    func depth() throws {
        let ok = String(repeating: "[", count: 32) + String(repeating: "]", count: 32)
        #expect(throws: Never.self) { try parse(ok) }
        let over = String(repeating: "[", count: 33) + String(repeating: "]", count: 33)
        #expect(error(over) == JSONError(.tooDeep(limit: 32), at: 32))
        #expect(error(#"{"a":{"b":1}}"#, maxDepth: 1) == JSONError(.tooDeep(limit: 1), at: 5))
        #expect(error("[]", maxDepth: 0) == JSONError(.tooDeep(limit: 0), at: 0))
        #expect(try parse("1", maxDepth: 0) == .number(1))
    }

    @Test("a hundred thousand open brackets stop at the limit instead of exhausting the stack")
    func hugeNesting() {
        #expect(error(String(repeating: "[", count: 100_000), maxDepth: 100_000) == JSONError(.tooDeep(limit: JSONParser.depthCeiling), at: 512))
        #expect(error(String(repeating: "{\"a\":", count: 100_000))?.reason == .tooDeep(limit: 32))
    }

    @Test("UTF-8 is checked strictly inside strings", arguments: [
        ([0xC3, 0xA9], true),  // é
        ([0xE2, 0x82, 0xAC], true),  // €
        ([0xF0, 0x9F, 0x98, 0x80], true),  // 😀
        ([0xF4, 0x8F, 0xBF, 0xBF], true),  // U+10FFFF
        ([0xEF, 0xBF, 0xBF], true),  // U+FFFF
        ([0xC0, 0x80], false),  // overlong NUL
        ([0xC1, 0xBF], false),  // overlong
        ([0xE0, 0x80, 0x80], false),  // overlong
        ([0xE0, 0x9F, 0xBF], false),  // overlong
        ([0xF0, 0x80, 0x80, 0x80], false),  // overlong
        ([0xF0, 0x8F, 0xBF, 0xBF], false),  // overlong
        ([0xED, 0xA0, 0x80], false),  // U+D800
        ([0xED, 0xBF, 0xBF], false),  // U+DFFF
        ([0xF4, 0x90, 0x80, 0x80], false),  // above U+10FFFF
        ([0xF5, 0x80, 0x80, 0x80], false),
        ([0xFF], false),
        ([0x80], false),  // stray continuation
        ([0xBF], false),
        ([0xE2, 0x82], false),  // cut short
        ([0xE2, 0x28, 0xA1], false),  // bad continuation
        ([0xC3], false),
    ] as [([UInt8], Bool)])
    func utf8InStrings(sequence: [UInt8], valid: Bool) {
        let bytes = [UInt8(ascii: "\"")] + sequence + [UInt8(ascii: "\"")]
        if valid {
            #expect(error(bytes: bytes) == nil)
            #expect(UTF8Validation.firstInvalidOffset(UnsafeRawBufferPointer(start: nil, count: 0)) == nil)
        } else {
            #expect(error(bytes: bytes) == JSONError(.invalidUTF8, at: 1))
        }
        // Inside an escaped string the same rules hold.
        let escaped = Array(#""\n"#.utf8) + sequence + [UInt8(ascii: "\"")]
        #expect((error(bytes: escaped) == nil) == valid)
    }

    @Test("invalid UTF-8 is reported ahead of a syntax error earlier in the text")
    func utf8Precedence() {
        #expect(error(bytes: Array("[x, ".utf8) + [0xFF] + Array("]".utf8)) == JSONError(.invalidUTF8, at: 4))
        #expect(error(bytes: Array("[1] ".utf8) + [0xC0, 0x80]) == JSONError(.invalidUTF8, at: 4))
        #expect(error(bytes: Array("[1] é".utf8)) == JSONError(.trailingText, at: 4))
    }

    @Test("errors describe themselves with a short reason and the byte offset")
    func descriptions() {
        #expect(JSONError(.expectedCommaOrBrace, at: 17).description == "expected ',' or '}' at byte 17")
        #expect(JSONError(.tooDeep(limit: 32), at: 40).description == "nested deeper than 32 levels at byte 40")
        #expect(JSONError(.notFinite, at: 9).description == "not a finite number at byte 9")
    }

    @Test("kinds of value describe themselves for messages")
    func kinds() {
        #expect(JSONValue.null.kindDescription == "null")
        #expect(JSONValue.number(1).kindDescription == "a number")
        #expect(JSONValue.object(JSONObject(members: [])).kindDescription == "an object")
    }
}

/// SplitMix64: a small, fast generator whose sequence is fixed by its seed, so the random tests
/// fail the same way every time.
struct SeededRandom: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
