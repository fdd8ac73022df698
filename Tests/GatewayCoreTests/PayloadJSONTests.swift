import Testing

@testable import GatewayCore

@Suite("JSON payloads")
struct PayloadJSONTests {
    let decoder = PayloadFixture.decoder(.json)

    @Test("a number at the value path becomes a reading at the payload's time")
    func basicReading() {
        #expect(decoder.decode(#"{"value":2.41,"ts":1764165540123}"#) == DecodeOutcome(readings: [
            PayloadFixture.reading(2.41, at: 1_764_165_540_123)
        ]))
    }

    @Test("true and false count as 1 and 0, for on/off flags")
    func booleans() {
        #expect(decoder.decode(#"{"value":true}"#).readings == [PayloadFixture.reading(1)])
        #expect(decoder.decode(#"{"value":false}"#).readings == [PayloadFixture.reading(0)])
    }

    @Test("dotted paths reach into objects and, with all-digit segments, arrays", arguments: [
        ("data.flow", #"{"data":{"flow":3.5}}"#, 3.5),
        ("values.0", #"{"values":[7,8,9]}"#, 7),
        ("values.2", #"{"values":[7,8,9]}"#, 9),
        ("a.1.b", #"{"a":[{"b":1},{"b":2}]}"#, 2),
        ("m.0", #"{"m":{"0":4}}"#, 4),
        ("deep.er.still", #"{"deep":{"er":{"still":-1e-3}}}"#, -0.001),
    ])
    func paths(path: String, payload: String, value: Double) {
        let decoder = PayloadFixture.decoder(.json, value: path, time: nil)
        #expect(decoder.decode(payload).readings == [PayloadFixture.reading(value)])
    }

    @Test("a path that leads nowhere is a missing value", arguments: [
        ("value", #"{"other":1}"#, #"no value at "value""#),
        ("values.3", #"{"values":[7,8,9]}"#, #"no value at "values.3""#),
        ("values.x", #"{"values":[7,8,9]}"#, #"no value at "values.x""#),
        ("data.flow", #"{"data":5}"#, #"no value at "data.flow": "data" is a number"#),
        ("data.flow.x", #"{"data":{"flow":"a"}}"#, #"no value at "data.flow.x": "data.flow" is a string"#),
        ("value", #"{"value":null}"#, #"value at "value" is null"#),
        ("value", "{}", #"no value at "value""#),
    ])
    func missing(path: String, payload: String, detail: String) {
        let outcome = PayloadFixture.decoder(.json, value: path).decode(payload)
        #expect(outcome == DecodeOutcome(failures: [DecodeFailure(.missingValue, detail)]))
    }

    @Test("a top-level value that is not an object is a missing value", arguments: [
        ("2.41", "a number"), ("[1]", "an array"), (#""x""#, "a string"), ("null", "null"), ("true", "a boolean"),
    ])
    func topLevelNotObject(payload: String, kind: String) {
        #expect(decoder.decode(payload).failures == [
            DecodeFailure(.missingValue, #"the payload is \#(kind); the value path "value" starts at an object"#)
        ])
    }

    @Test("a value that is not a number is refused, even a string holding one", arguments: [
        (#"{"value":"2.5"}"#, "a string"),
        (#"{"value":[2.5]}"#, "an array"),
        (#"{"value":{"v":2.5}}"#, "an object"),
    ])
    func notANumber(payload: String, kind: String) {
        #expect(decoder.decode(payload).failures == [DecodeFailure(.notANumber, #"value at "value" is \#(kind)"#)])
    }

    @Test("a number too large for a Double is not finite", arguments: [
        #"{"value":1e999}"#, #"{"value":-1e999}"#, #"{"value":1,"other":1e999}"#, #"{"value":1.8e308}"#,
    ])
    func notFinite(payload: String) {
        #expect(decoder.reason(payload) == .notFinite)
    }

    @Test("a number that underflows reads as zero")
    func underflow() {
        #expect(decoder.decode(#"{"value":1e-999}"#).readings == [PayloadFixture.reading(0)])
    }

    @Test("epoch seconds, epoch milliseconds and RFC 3339 with offsets all give the same time", arguments: [
        "1764165540.123",
        "1764165540123",
        "1764165540123.0",
        "1.764165540123e12",
        "1.764165540123e9",
        #""2025-11-26T13:59:00.123Z""#,
        #""2025-11-26T14:59:00.123+01:00""#,
        #""2025-11-26T08:29:00.123456-05:30""#,
        #""2025-11-26 13:59:00.123z""#,
    ])
    func times(time: String) {
        #expect(decoder.decode(#"{"value":1,"ts":\#(time)}"#).readings == [PayloadFixture.reading(1, at: 1_764_165_540_123)])
    }

    @Test("whole epoch seconds are read as seconds, not milliseconds")
    func wholeSeconds() {
        #expect(decoder.decode(#"{"value":1,"ts":1764165540}"#).readings == [PayloadFixture.reading(1, at: 1_764_165_540_000)])
    }

    @Test("a time path with nothing at it means the time received")
    func absentTime() {
        #expect(decoder.decode(#"{"value":1}"#).readings == [PayloadFixture.reading(1)])
        #expect(PayloadFixture.decoder(.json, time: "meta.ts").decode(#"{"value":1,"meta":3}"#).readings == [PayloadFixture.reading(1)])
    }

    @Test("without a time path the payload's own time fields are ignored")
    func noTimePath() {
        let decoder = PayloadFixture.decoder(.json, time: nil)
        #expect(decoder.decode(#"{"value":1,"ts":"garbage"}"#).readings == [PayloadFixture.reading(1)])
    }

    @Test("a time that cannot be read fails the reading", arguments: [
        (#""yesterday""#, #"time at "ts" is a string that is not an RFC 3339 time in years 0001 to 9999"#),
        (#""2025-02-30T00:00:00Z""#, #"time at "ts" is a string that is not an RFC 3339 time in years 0001 to 9999"#),
        (#""1764165540""#, #"time at "ts" is a string that is not an RFC 3339 time in years 0001 to 9999"#),
        ("1e300", #"time at "ts" is a number outside years 0001 to 9999"#),
        ("-1e15", #"time at "ts" is a number outside years 0001 to 9999"#),
        ("null", #"time at "ts" is null; expected epoch seconds or milliseconds, or RFC 3339"#),
        ("true", #"time at "ts" is a boolean; expected epoch seconds or milliseconds, or RFC 3339"#),
        ("{}", #"time at "ts" is an object; expected epoch seconds or milliseconds, or RFC 3339"#),
    ])
    func badTime(time: String, detail: String) {
        #expect(decoder.decode(#"{"value":1,"ts":\#(time)}"#) == DecodeOutcome(failures: [DecodeFailure(.badTime, detail)]))
    }

    @Test("with duplicate keys the last one wins")
    func duplicateKeys() {
        #expect(decoder.decode(#"{"value":1,"value":2}"#).readings == [PayloadFixture.reading(2)])
    }

    @Test("nesting deeper than the limit is too deep")
    func tooDeep() {
        let limit = PayloadFixture.decoder(.json, value: "a", maxDepth: 3)
        #expect(limit.decode(#"{"a":1,"b":{"c":[1]}}"#).readings.count == 1)
        #expect(limit.decode(#"{"a":1,"b":{"c":[[1]]}}"#).failures == [DecodeFailure(.tooDeep, "nested deeper than 3 levels at byte 17")])
        let deep = "{\"value\":1,\"x\":" + String(repeating: "[", count: 40) + String(repeating: "]", count: 40) + "}"
        #expect(decoder.reason(deep) == .tooDeep)
    }

    @Test("invalid UTF-8 anywhere is named as such", arguments: [
        [0x7B, 0x22, 0x76, 0x22, 0x3A, 0x22, 0xFF, 0x22, 0x7D] as [UInt8],  // {"v":"\xFF"}
        Array(#"{"value":1,"x":""#.utf8) + [0xC0, 0xAF] + Array(#""}"#.utf8),  // overlong '/'
        Array(#"{"value":1,"x":""#.utf8) + [0xED, 0xA0, 0x80] + Array(#""}"#.utf8),  // a surrogate
        Array(#"{"value":1}"#.utf8) + [0xFE],
        [0xFF, 0xFE, 0x7B, 0x7D],
        Array(#"{"value":x"#.utf8) + [0x80],
    ])
    func invalidUTF8(bytes: [UInt8]) {
        #expect(decoder.decode(bytes: bytes).failures.map(\.reason) == [.invalidUTF8])
    }

    @Test("anything else that is not strict JSON is not JSON", arguments: [
        "", " ", #"{"value":1,}"#, #"{"value":01}"#, #"{"value":NaN}"#, #"{"value":Infinity}"#, "{'value':1}",
        #"{"value":1} // note"#, #"/* c */ {"value":1}"#, #"{"value":1}{}"#, #"{"value":.5}"#, #"{"value":+1}"#,
        #"{"value":1"#, #"{"value" 1}"#, #"{value:1}"#, #"{"value":"\ud800"}"#, "\u{FEFF}{\"value\":1}",
    ])
    func notJSON(payload: String) {
        let outcome = decoder.decode(payload)
        #expect(outcome.failures.map(\.reason) == [.notJSON])
        #expect(outcome.failures.first?.detail.hasPrefix("not JSON: ") == true)
    }

    @Test("a value path that cannot be compiled fails every message and says why")
    func badValuePath() {
        let outcome = PayloadFixture.decoder(.json, value: "data..flow").decode(#"{"value":1}"#)
        #expect(outcome.failures == [DecodeFailure(
            .missingValue, #"the value path cannot be used: segment 2 of "data..flow" is empty; expected keys separated by single dots"#)])
    }

    @Test("a time path that cannot be compiled fails every message and says why")
    func badTimePath() {
        let outcome = PayloadFixture.decoder(.json, time: "").decode(#"{"value":1}"#)
        #expect(outcome.failures.map(\.reason) == [.badTime])
    }

    @Test("JSON paths are checked when they are built", arguments: [
        ("", #"the path is empty; expected a dotted path such as "value" or "data.flow""#),
        (".a", #"segment 1 of ".a" is empty; expected keys separated by single dots"#),
        ("a.", #"segment 2 of "a." is empty; expected keys separated by single dots"#),
    ])
    func pathErrors(text: String, message: String) {
        #expect(throws: JSONPathError(message)) { try JSONPath(text) }
    }
}
