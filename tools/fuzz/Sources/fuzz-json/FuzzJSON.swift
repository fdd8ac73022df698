import FuzzChecks
import GatewayCore

/// JSONParser and the `json` payload format.
///
/// Checks: the parser reports invalid UTF-8 exactly when the input is not UTF-8 (and ahead of any
/// other error), error offsets lie within the input, a parsed value written back out (strings
/// through `JSONWriter.appendString`, numbers through `JSONWriter.field`) parses to the same
/// value, and the decoder's reading is the number or flag at `value`.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = bytes(data, size)
    let isUTF8 = String(validating: input, as: UTF8.self) != nil

    do {
        let value = try JSONParser.parse(input, maxDepth: JSONParser.depthCeiling)
        require(isUTF8, "parsed JSON that is not UTF-8")
        var text = ""
        write(value, to: &text)
        let again = Result { () throws(JSONError) in try JSONParser.parse(Array(text.utf8), maxDepth: JSONParser.depthCeiling) }
        require(again == .success(value), "the value written back out does not parse to the same value: \(again)")
    } catch {
        require(error.offset >= 0 && error.offset <= size, "error offset \(error.offset) outside \(size) bytes")
        require((error.reason == .invalidUTF8) == !isUTF8, "reported \(error.reason) for input whose UTF-8 validity is \(isUTF8)")
    }

    let outcome = plain.decode(topic: Fixture.topic, payload: input, receivedAt: Fixture.receivedAt)
    requireDecoderPromises(outcome)
    if case .success(.object(let object)) = Result(catching: { () throws(JSONError) in try JSONParser.parse(input, maxDepth: 32) }) {
        let expected: Double? =
            switch object["value"] {
            case .number(let number): number
            case .bool(let flag): flag ? 1 : 0
            default: nil
            }
        if let expected {
            let reading = Reading(sensor: Fixture.sensor, metric: Fixture.metric, time: Fixture.receivedAt, value: expected)
            require(outcome == DecodeOutcome(readings: [reading]), "the reading is not the value at \"value\": \(outcome)")
        } else {
            require(outcome.readings.isEmpty && outcome.failures.count == 1, "a reading without a number at \"value\"")
        }
    }

    requireDecoderPromises(nested.decode(topic: Fixture.topic, payload: input, receivedAt: Fixture.receivedAt))
    return 0
}

/// No time path, so the reading's time is always the time received.
let plain = Fixture.decoder(.json, time: nil)
/// Paths through arrays and objects, a time, and a shallow depth limit.
let nested = Fixture.decoder(.json, value: "data.values.1", time: "ts", maxDepth: 4)

/// Compact JSON for `value`: strings as the uplink writes them, numbers in `JSONWriter`'s form.
func write(_ value: JSONValue, to text: inout String) {
    switch value {
    case .null: text += "null"
    case .bool(let flag): text += flag ? "true" : "false"
    case .number(let number):
        var writer = JSONWriter()
        writer.beginObject()
        writer.field("v", number)
        writer.endObject()
        // `{"v":` … `}`: the writer prints numbers only as fields.
        text += writer.text.dropFirst(5).dropLast()
    case .string(let string):
        JSONWriter.appendString(string, to: &text)
    case .array(let elements):
        text += "["
        for (offset, element) in elements.enumerated() {
            if offset > 0 { text += "," }
            write(element, to: &text)
        }
        text += "]"
    case .object(let object):
        text += "{"
        for (offset, member) in object.members.enumerated() {
            if offset > 0 { text += "," }
            JSONWriter.appendString(member.key, to: &text)
            text += ":"
            write(member.value, to: &text)
        }
        text += "}"
    }
}
