// Contract: the writer's text is byte for byte what a scalar-by-scalar writer produces (RFC 8259
// escapes, `\u00XX` in lowercase for other control characters, everything else as is); pre-escaped
// keys and repeated window starts change nothing in the text; numbers are written as before:
// integers in decimal, whole doubles below 1e15 without ".0", others in Swift's shortest form,
// non-finite ones as null.
import GatewayCore
import Testing

@Suite("JSON writer")
struct JSONWriterTests {
    /// The escaping the uplink has always done, one Unicode scalar at a time: the reference the
    /// byte-wise writer must match.
    static func referenceLiteral(_ value: String) -> String {
        var text = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case "\n": text += "\\n"
            case "\r": text += "\\r"
            case "\t": text += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                text += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default:
                text.unicodeScalars.append(scalar)
            }
        }
        return text + "\""
    }

    static let awkwardStrings = [
        "", "fes/water/meter-0042", "quote \" inside", "back\\slash", "line\nbreak\r\ttab",
        "\u{0}\u{1}\u{1f}\u{7f}", "café ☕️ 水道 𝄞", "\u{2028}\u{2029}", "\"\\\"", "ends with \\",
    ]

    @Test("strings are escaped exactly as one scalar at a time would", arguments: awkwardStrings)
    func escapesLikeTheReference(_ value: String) {
        var bytes: [UInt8] = []
        JSONWriter.appendString(value, to: &bytes)
        #expect(String(decoding: bytes, as: UTF8.self) == Self.referenceLiteral(value))
        var text = "prefix:"
        JSONWriter.appendString(value, to: &text)
        #expect(text == "prefix:" + Self.referenceLiteral(value))
    }

    @Test("random strings over ASCII, controls and multi-byte scalars match the reference")
    func randomStringsMatchTheReference() {
        let alphabet: [Unicode.Scalar] = Array("ab\"\\/\n\r\t é€水𝄞".unicodeScalars) + (0..<0x20).map { Unicode.Scalar(UInt8($0)) }
        var generator = SeededRandom(seed: 42)
        for _ in 0..<2_000 {
            let length = Int(generator.next() % 24)
            var value = ""
            for _ in 0..<length {
                value.unicodeScalars.append(alphabet[Int(generator.next() % UInt64(alphabet.count))])
            }
            var bytes: [UInt8] = []
            JSONWriter.appendString(value, to: &bytes)
            #expect(String(decoding: bytes, as: UTF8.self) == Self.referenceLiteral(value), "\(Array(value.utf8))")
        }
    }

    @Test("a pre-escaped key writes the same text as the key given as a string")
    func preEscapedKeys() {
        var byName = JSONWriter()
        var byKey = JSONWriter()
        byName.beginObject()
        byKey.beginObject()
        for name in ["plain", "with \"quote\"", "tab\there", "ünï"] {
            byName.field(name, "v")
            byKey.field(JSONWriter.Key(name), "v")
            byName.field(name, 7)
            byKey.field(JSONWriter.Key(name), 7)
            byName.field(name, true)
            byKey.field(JSONWriter.Key(name), true)
            byName.field(name, 2.5)
            byKey.field(JSONWriter.Key(name), 2.5)
        }
        byName.beginArray("list")
        byKey.beginArray(JSONWriter.Key("list"))
        byName.endArray()
        byKey.endArray()
        byName.endObject()
        byKey.endObject()
        #expect(byKey.text == byName.text)
        #expect(byKey.bytes == Array(byName.text.utf8))
    }

    @Test("integers are written in decimal, to both ends of their range")
    func integers() {
        for value in [0, 1, -1, 9, 10, -10, 1042, Int(Int32.max), Int.max, Int.min, Int.min + 1] {
            #expect(Self.number(value) == String(value))
        }
    }

    @Test("doubles: whole ones below 1e15 as integers, others in shortest form, non-finite as null")
    func doubles() {
        let cases: [(Double?, String)] = [
            (2, "2"), (-0.0, "0"), (25.2, "25.2"), (2.1, "2.1"), (0.1, "0.1"), (-3.5, "-3.5"),
            (999_999_999_999_999, "999999999999999"), (1e15, "1000000000000000.0"), (-1e15, "-1000000000000000.0"), (1e17, "1e+17"),
            (1e300, "1e+300"), (.leastNonzeroMagnitude, "5e-324"), (.pi, "3.141592653589793"),
            (.nan, "null"), (.infinity, "null"), (-.infinity, "null"), (nil, "null"),
        ]
        for (value, text) in cases {
            var json = JSONWriter()
            json.beginObject()
            json.field("v", value)
            json.endObject()
            #expect(json.text == "{\"v\":\(text)}", "\(String(describing: value))")
        }
    }

    @Test("objects and arrays nest with commas only between members")
    func nesting() {
        var json = JSONWriter()
        json.beginObject()
        json.beginArray("a")
        json.beginObject()
        json.field("x", 1)
        json.endObject()
        json.beginObject()
        json.endObject()
        json.endArray()
        json.beginObject("o")
        json.nullField("n")
        json.field("b", false)
        json.endObject()
        json.endObject()
        #expect(json.text == #"{"a":[{"x":1},{}],"o":{"n":null,"b":false}}"#)
    }

    static func number(_ value: Int) -> String {
        var json = JSONWriter()
        json.beginObject()
        json.field("v", value)
        json.endObject()
        return String(json.text.dropFirst(5).dropLast())
    }
}
