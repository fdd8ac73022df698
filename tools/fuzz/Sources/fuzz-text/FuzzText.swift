import FuzzChecks
import GatewayCore

/// The `text` payload format.
///
/// Checks: the decoder reads a number exactly when the standard library reads the trimmed text as
/// a finite number made only of digits, signs, '.' and exponent letters, and both give the same
/// Double, so the decoder's fast path rounds as the correctly rounded conversion does.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = bytes(data, size)
    let outcome = decoder.decode(topic: Fixture.topic, payload: input, receivedAt: Fixture.receivedAt)
    requireDecoderPromises(outcome)

    // Leading and trailing space, tab, LF, VT, FF and CR are not part of the number.
    let isSpace = { (byte: UInt8) in byte == 0x20 || (0x09...0x0D).contains(byte) }
    var trimmed = input[...]
    while let first = trimmed.first, isSpace(first) { trimmed = trimmed.dropFirst() }
    while let last = trimmed.last, isSpace(last) { trimmed = trimmed.dropLast() }
    let isDecimalAlphabet = trimmed.allSatisfy { byte in
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."),
            UInt8(ascii: "e"), UInt8(ascii: "E"):
            true
        default:
            false
        }
    }
    let reference = isDecimalAlphabet ? Double(String(decoding: trimmed, as: UTF8.self)) : nil

    if let reading = outcome.readings.first {
        require(outcome.readings.count == 1 && outcome.failures.isEmpty, "more than one result for one number")
        require(reading.value == reference, "read \(reading.value); the standard library reads \(String(describing: reference))")
        require(reading.time == Fixture.receivedAt, "a text reading not timed when received")
        require(reading.sensor == Fixture.sensor && reading.metric == Fixture.metric, "a reading with the wrong ids")
    } else if let reference {
        require(!reference.isFinite, "the standard library reads \(reference); the decoder refused: \(outcome.failures)")
    }
    return 0
}

let decoder = Fixture.decoder(.text)
