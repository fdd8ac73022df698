/// Integers (decimal, 0x, 0o, 0b) and floats (fraction, exponent, inf, nan), with '_' allowed
/// only between two digits and no leading zeros.
extension TOMLParser {
    static let numberExpected = "a number like 42, -7, 0x2A, 1.5, 6.02e23 or inf"

    /// A number at a digit, a sign, 'i' (inf) or 'n' (nan).
    mutating func parseNumber() throws(TOMLSyntaxError) -> TOMLNode {
        let start = scanner.index
        let node = try parseNumberBody(start: start)
        // `1.2.3`, `0X1F`, `12ab`: the number stops early; name the whole word, not its tail.
        if let byte = scanner.current, TOMLSource.isWordByte(byte) {
            throw scanner.source.error(at: start, expected: Self.numberExpected)
        }
        return node
    }

    private mutating func parseNumberBody(start: Int) throws(TOMLSyntaxError) -> TOMLNode {
        let isNegative = scanner.isAt("-")
        let hasSign = scanner.skip("+") || scanner.skip("-")
        if scanner.isAt("i") || scanner.isAt("n") {
            return .float(try parseSpecialFloat(isNegative: isNegative, start: start))
        }
        if !hasSign, scanner.isAt("0"), let radix = Self.radix(of: scanner.peek(1)) {
            return .integer(try parsePrefixedInteger(radix: radix, start: start))
        }
        let integerStart = scanner.index
        if scanner.isAt("0"), let next = scanner.peek(1), Self.isDigit(next) || next == UInt8(ascii: "_") {
            throw scanner.source.error(at: start, expected: "a number without leading zeros")
        }
        try skipDigits(radix: 10, after: hasSign ? "the sign" : nil)
        var isFloat = false
        if scanner.skip(".") {
            isFloat = true
            try skipDigits(radix: 10, after: "'.'")
        }
        if scanner.skip("e") || scanner.skip("E") {
            isFloat = true
            _ = scanner.skip("+") || scanner.skip("-")
            try skipDigits(radix: 10, after: "the exponent's 'e'")
        }
        if isFloat { return .float(try floatValue(from: start)) }
        return .integer(try integerValue(digitsFrom: integerStart, radix: 10, isNegative: isNegative, start: start))
    }

    /// `inf` or `nan`, after an optional sign.
    private mutating func parseSpecialFloat(isNegative: Bool, start: Int) throws(TOMLSyntaxError) -> Double {
        let end = min(scanner.index + 3, scanner.source.count)
        let word = scanner.source.text(from: scanner.index, to: end)
        guard let value = word == "inf" ? Double.infinity : word == "nan" ? Double.nan : nil else {
            throw scanner.source.error(at: start, expected: Self.numberExpected)
        }
        scanner.index = end
        return isNegative ? -value : value
    }

    /// `0x1F`, `0o17`, `0b101`: never signed, digits of the radix with '_' between them.
    private mutating func parsePrefixedInteger(radix: Int, start: Int) throws(TOMLSyntaxError) -> Int {
        scanner.index += 2
        let source = scanner.source
        try skipDigits(radix: radix, after: source.text(from: start, to: start + 2))
        return try integerValue(digitsFrom: start + 2, radix: radix, isNegative: false, start: start)
    }

    /// Steps over digits of `radix`, each '_' between two of them. `after` names what comes
    /// before the first digit, for the error when there is none.
    private mutating func skipDigits(radix: Int, after: @autoclosure () -> String?) throws(TOMLSyntaxError) {
        guard let first = scanner.current, Self.digitValue(first, radix: radix) != nil else {
            let digit = radix == 10 ? "a digit" : "a digit of base \(radix)"
            throw scanner.error(expected: after().map { "\(digit) after \($0)" } ?? digit)
        }
        scanner.index += 1
        while let byte = scanner.current {
            if Self.digitValue(byte, radix: radix) != nil {
                scanner.index += 1
            } else if byte == UInt8(ascii: "_") {
                guard let next = scanner.peek(1), Self.digitValue(next, radix: radix) != nil else {
                    throw scanner.error(expected: "a digit on each side of '_'")
                }
                scanner.index += 2
            } else {
                return
            }
        }
    }

    /// The integer whose digits (with '_') run from `digitsStart` to the cursor; an error at
    /// `start` when it does not fit in 64 bits.
    private func integerValue(
        digitsFrom digitsStart: Int, radix: Int, isNegative: Bool, start: Int
    ) throws(TOMLSyntaxError) -> Int {
        // Negative numbers are summed downwards, so that Int.min fits.
        var value = 0
        for byte in scanner.source.bytes[digitsStart..<scanner.index] {
            guard let digit = Self.digitValue(byte, radix: radix) else { continue }
            let (shifted, overflow) = value.multipliedReportingOverflow(by: radix)
            let (sum, sumOverflow) =
                isNegative ? shifted.subtractingReportingOverflow(digit) : shifted.addingReportingOverflow(digit)
            guard !overflow, !sumOverflow else {
                throw scanner.source.error(at: start, expected: "an integer from \(Int.min) to \(Int.max)")
            }
            value = sum
        }
        return value
    }

    /// The float written from `start` to the cursor. One too large for a Double is an error, not
    /// infinity: a file that means infinity writes `inf`.
    private func floatValue(from start: Int) throws(TOMLSyntaxError) -> Double {
        var digits = ""
        for byte in scanner.source.bytes[start..<scanner.index] where byte != UInt8(ascii: "_") {
            digits.unicodeScalars.append(Unicode.Scalar(byte))
        }
        guard let value = Double(digits), value.isFinite else {
            throw scanner.source.error(at: start, expected: "a float within ±\(Double.greatestFiniteMagnitude)")
        }
        return value
    }

    static func isDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    private static func radix(of prefix: UInt8?) -> Int? {
        switch prefix {
        case UInt8(ascii: "x"): 16
        case UInt8(ascii: "o"): 8
        case UInt8(ascii: "b"): 2
        default: nil
        }
    }

    private static func digitValue(_ byte: UInt8, radix: Int) -> Int? {
        guard let value = hexValue(byte).map(Int.init), value < radix else { return nil }
        return value
    }
}
