/// Turns the digits of a decimal number into the nearest Double.
///
/// Most sensor values have at most 19 significant digits and a small power of ten, and for those
/// with a mantissa up to 2^53 and a power within ±22 one multiplication or division of two exact
/// Doubles is already correctly rounded (Clinger's fast path). Everything else goes to the
/// standard library's correctly rounded conversion, which handles the rest exactly.
struct DecimalAccumulator {
    private var mantissa: UInt64 = 0
    private var significantDigits = 0
    private var exponent = 0
    /// False once a non-zero digit had to be dropped from `mantissa`.
    private var isExact = true

    @inline(__always)
    mutating func addIntegerDigit(_ digit: UInt8) {
        if mantissa == 0 && digit == 0 { return }
        if significantDigits < 19 {
            mantissa = mantissa &* 10 &+ UInt64(digit)
            significantDigits += 1
        } else {
            exponent += 1
            if digit != 0 { isExact = false }
        }
    }

    @inline(__always)
    mutating func addFractionDigit(_ digit: UInt8) {
        if mantissa == 0 && digit == 0 {
            exponent -= 1
            return
        }
        if significantDigits < 19 {
            mantissa = mantissa &* 10 &+ UInt64(digit)
            significantDigits += 1
            exponent -= 1
        } else if digit != 0 {
            isExact = false
        }
    }

    /// The written exponent, already capped well beyond any finite Double's.
    mutating func addExponent(_ value: Int) {
        exponent += value
    }

    /// The value, not negated; may be infinite. `text` is the number as written, for the slow path.
    func magnitude(text: UnsafeBufferPointer<UInt8>) -> Double {
        if mantissa == 0 { return 0 }
        if isExact && mantissa <= 1 << 53 && (-22...22).contains(exponent) {
            let value = Double(mantissa)
            return exponent >= 0 ? value * powersOfTen[exponent] : value / powersOfTen[-exponent]
        }
        let slow = Double(String(decoding: text, as: UTF8.self)) ?? .nan
        return slow.magnitude
    }
}

/// 10^0 through 10^22, every one exact in a Double.
private let powersOfTen: [Double] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
]

/// Exponents past this are clamped while reading: 10^±100000 is far beyond any finite Double,
/// so the result is the same and the count cannot overflow.
let exponentLimit = 100_000

@inline(__always)
func asciiDigit(_ byte: UInt8) -> UInt8? {
    let value = byte &- UInt8(ascii: "0")
    return value < 10 ? value : nil
}

/// A plain decimal number as a text payload carries it: `2.41`, `-3`, `+1.5e3`, `.5`, `7.`,
/// `007`. Nil for anything else, including `nan`, `inf` and hex. The result may be infinite
/// when the number overflows.
func parseDecimalText(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
    var index = 0
    let count = bytes.count
    var negative = false
    if index < count && (bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+")) {
        negative = bytes[index] == UInt8(ascii: "-")
        index += 1
    }
    var accumulator = DecimalAccumulator()
    var digits = 0
    while index < count, let digit = asciiDigit(bytes[index]) {
        accumulator.addIntegerDigit(digit)
        digits += 1
        index += 1
    }
    if index < count && bytes[index] == UInt8(ascii: ".") {
        index += 1
        while index < count, let digit = asciiDigit(bytes[index]) {
            accumulator.addFractionDigit(digit)
            digits += 1
            index += 1
        }
    }
    guard digits > 0 else { return nil }
    if index < count && (bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E")) {
        index += 1
        guard let exponent = readExponent(bytes, &index) else { return nil }
        accumulator.addExponent(exponent)
    }
    guard index == count else { return nil }
    let magnitude = accumulator.magnitude(text: bytes)
    return negative ? -magnitude : magnitude
}

/// An optional sign and at least one digit, clamped to ±`exponentLimit`.
@inline(__always)
func readExponent(_ bytes: UnsafeBufferPointer<UInt8>, _ index: inout Int) -> Int? {
    var negative = false
    if index < bytes.count && (bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+")) {
        negative = bytes[index] == UInt8(ascii: "-")
        index += 1
    }
    var value = 0
    var digits = 0
    while index < bytes.count, let digit = asciiDigit(bytes[index]) {
        if value < exponentLimit { value = value * 10 + Int(digit) }
        digits += 1
        index += 1
    }
    guard digits > 0 else { return nil }
    return negative ? -value : value
}
