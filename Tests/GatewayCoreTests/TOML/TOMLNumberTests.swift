import Testing

@testable import GatewayCore

/// Integers in four bases and floats, with TOML's rules for signs, underscores and leading zeros.
@Suite("TOML numbers")
struct TOMLNumberTests {
    @Test("integers read in decimal, hex, octal and binary, with underscores between digits")
    func integers() throws {
        let text = """
            a = +99
            b = 42
            c = 0
            d = -17
            e = 1_000
            f = 5_349_221
            g = -0
            h = 0xDEAD_beef
            i = 0o01234567
            j = 0b1101_0110
            k = 9223372036854775807
            l = -9223372036854775808
            m = 0x7FFFFFFFFFFFFFFF
            """
        #expect(
            try TOMLTesting.parse(text) == [
                "a": .integer(99), "b": .integer(42), "c": .integer(0), "d": .integer(-17), "e": .integer(1000),
                "f": .integer(5_349_221), "g": .integer(0), "h": .integer(0xDEAD_BEEF), "i": .integer(0o1234567),
                "j": .integer(0b1101_0110), "k": .integer(Int.max), "l": .integer(Int.min), "m": .integer(Int.max),
            ])
    }

    @Test("floats read with a fraction, an exponent or both")
    func floats() throws {
        let text = """
            a = +1.0
            b = 3.1415
            c = -0.01
            d = 5e+22
            e = 1e06
            f = -2E-2
            g = 6.626e-34
            h = 224_617.445_991_228
            i = -0.0
            j = 1e-400
            """
        let document = try TOMLTesting.parse(text)
        #expect(
            document == [
                "a": .float(1.0), "b": .float(3.1415), "c": .float(-0.01), "d": .float(5e22), "e": .float(1e6),
                "f": .float(-0.02),
                "g": .float(6.626e-34), "h": .float(224_617.445_991_228), "i": .float(-0.0), "j": .float(0),
            ])
        guard case .float(let negativeZero) = document["i"] else { return }
        #expect(negativeZero.sign == .minus)
    }

    @Test("inf and nan read with or without a sign")
    func specialFloats() throws {
        let document = try TOMLTesting.parse("a = inf\nb = +inf\nc = -inf\nd = nan\ne = +nan\nf = -nan")
        #expect(
            document["a"] == .float(.infinity) && document["b"] == .float(.infinity)
                && document["c"] == .float(-.infinity))
        for key in ["d", "e", "f"] {
            guard case .float(let value) = document[key] else {
                Issue.record("\(key) is not a float")
                continue
            }
            #expect(value.isNaN)
        }
    }

    static let invalid: [InvalidTOML] = [
        InvalidTOML("a = 0123", 1, 5, "found '0123', expected a number without leading zeros"),
        InvalidTOML("a = -01.5", 1, 5, "found '-01.5', expected a number without leading zeros"),
        InvalidTOML("a = 1__000", 1, 6, "found '__000', expected a digit on each side of '_'"),
        InvalidTOML("a = 1000_", 1, 9, "found '_', expected a digit on each side of '_'"),
        InvalidTOML("a = _1", 1, 5, "found '_1', expected \(TOMLParser.valueExpected)"),
        InvalidTOML("a = 1_.5", 1, 6, "found '_.5', expected a digit on each side of '_'"),
        InvalidTOML(
            "a = 9223372036854775808", 1, 5,
            "found '9223372036854775808', expected an integer from -9223372036854775808 to 9223372036854775807"),
        InvalidTOML(
            "a = -9223372036854775809", 1, 5,
            "found '-9223372036854775809', expected an integer from -9223372036854775808 to 9223372036854775807"),
        InvalidTOML(
            "a = 0x1_0000_0000_0000_0000", 1, 5,
            "found '0x1_0000_0000_0000_0000', expected an integer from -9223372036854775808 to 9223372036854775807"),
        InvalidTOML("a = 0X1F", 1, 5, "found '0X1F', expected \(TOMLParser.numberExpected)"),
        InvalidTOML("a = +0x1F", 1, 5, "found '+0x1F', expected \(TOMLParser.numberExpected)"),
        InvalidTOML("a = 0x", 1, 7, "found the end of the file, expected a digit of base 16 after 0x"),
        InvalidTOML("a = 0b102", 1, 5, "found '0b102', expected \(TOMLParser.numberExpected)"),
        InvalidTOML("a = 1.", 1, 7, "found the end of the file, expected a digit after '.'"),
        InvalidTOML("a = .5", 1, 5, "found '.5', expected \(TOMLParser.valueExpected)"),
        InvalidTOML("a = 1.2.3", 1, 5, "found '1.2.3', expected \(TOMLParser.numberExpected)"),
        InvalidTOML("a = 1e", 1, 7, "found the end of the file, expected a digit after the exponent's 'e'"),
        InvalidTOML("a = 1e_3", 1, 7, "found '_3', expected a digit after the exponent's 'e'"),
        InvalidTOML("a = 1e999", 1, 5, "found '1e999', expected a float within ±1.7976931348623157e+308"),
        InvalidTOML("a = Inf", 1, 5, "found 'Inf', expected \(TOMLParser.valueExpected)"),
        InvalidTOML("a = infinity", 1, 5, "found 'infinity', expected \(TOMLParser.numberExpected)"),
        InvalidTOML("a = nan_", 1, 5, "found 'nan_', expected \(TOMLParser.numberExpected)"),
        InvalidTOML("a = ++1", 1, 6, "found '+1', expected a digit after the sign"),
    ]

    @Test("malformed numbers are named with their line and column", arguments: invalid)
    func invalidNumbers(_ invalid: InvalidTOML) {
        invalid.check()
    }
}
