import FuzzChecks
import GatewayCore

/// The `senml` payload format (RFC 8428, JSON representation).
///
/// Checks, besides the decoder's promises: a payload that is not a JSON array of objects gives
/// exactly one failure; a pack gives at most one result per record; every reading carries the
/// sensor from the topic and a metric that is a valid SenML name (§4.5.1). Each input is decoded
/// twice, received at an ordinary time and at the last millisecond of year 9999, where relative
/// times (§4.5.3) run out of range.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = bytes(data, size)
    let records: Int? =
        switch Result(catching: { () throws(JSONError) in try JSONParser.parse(input, maxDepth: 32) }) {
        case .success(.array(let elements)) where elements.allSatisfy({ if case .object = $0 { true } else { false } }):
            elements.count
        default:
            nil
        }
    for receivedAt in [Fixture.receivedAt, Timestamp.latest] {
        let outcome = decoder.decode(topic: Fixture.topic, payload: input, receivedAt: receivedAt)
        requireDecoderPromises(outcome)
        if let records {
            require(outcome.readings.count + outcome.failures.count <= max(records, 1), "more results than records")
        } else {
            require(outcome.readings.isEmpty && outcome.failures.count == 1, "a payload that is not a pack gave \(outcome)")
        }
        for reading in outcome.readings {
            require(reading.sensor == Fixture.sensor, "a reading's sensor is not the topic's")
            require(isSenMLName(reading.metric), "a reading's metric is not a SenML name")
        }
    }
    return 0
}

let decoder = Fixture.decoder(.senml)

/// RFC 8428 §4.5.1: a-z, A-Z, 0-9 and "-:./_", starting with a letter or digit.
func isSenMLName(_ name: String) -> Bool {
    let isAlphanumeric = { (byte: UInt8) in
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }
    guard let first = name.utf8.first, isAlphanumeric(first) else { return false }
    return name.utf8.allSatisfy { isAlphanumeric($0) || Array("-:./_".utf8).contains($0) }
}
