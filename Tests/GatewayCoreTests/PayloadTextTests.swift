import Testing

@testable import GatewayCore

@Suite("Text payloads")
struct PayloadTextTests {
    let decoder = PayloadFixture.decoder(.text)

    @Test("a decimal number, with surrounding ASCII whitespace, is a reading at the time received", arguments: [
        ("2.41", 2.41), ("-3", -3), ("+1.5e3", 1500), ("1E-2", 0.01), (".5", 0.5), ("7.", 7), ("007", 7),
        (" 2.41\n", 2.41), ("\t\r\n 42 \u{B}\u{C}", 42), ("-0", 0), ("1764165540123", 1_764_165_540_123),
        ("1e-999", 0), ("0.1", 0.1),
    ])
    func numbers(text: String, value: Double) {
        #expect(decoder.decode(text) == DecodeOutcome(readings: [PayloadFixture.reading(value)]))
    }

    @Test("text that is not a decimal number is not a number", arguments: [
        "nan", "NaN", "inf", "-inf", "Infinity", "0x10", "1,5", "1 2", "--1", "1e", "e5", ".", "+", "-", "1e+",
        "2.41 m3", "\u{A0}2", "２", "true", "\"2\"", "[2]", "1_000",
    ])
    func notANumber(text: String) {
        #expect(decoder.decode(text).failures == [
            DecodeFailure(.notANumber, "the payload is not a decimal number (such as 2.41 or -1.5e3)")
        ])
    }

    @Test("an empty or blank payload is not a number", arguments: ["", "   ", "\n"])
    func empty(text: String) {
        #expect(decoder.decode(text).failures == [DecodeFailure(.notANumber, "the payload is empty; expected a decimal number")])
    }

    @Test("a number too large for a Double is not finite", arguments: ["1e999", "-1e999", "1.8e308"])
    func notFinite(text: String) {
        #expect(decoder.decode(text).failures == [DecodeFailure(.notFinite, "the number is too large to be finite")])
    }

    @Test("invalid UTF-8 is named as such")
    func invalidUTF8() {
        #expect(decoder.decode(bytes: [0x31, 0xFF]).failures == [DecodeFailure(.invalidUTF8, "invalid UTF-8 at byte 1")])
        #expect(decoder.decode(bytes: [0xC0, 0xB1]).failures.map(\.reason) == [.invalidUTF8])
    }

    @Test("random decimal texts read exactly as the correctly rounded Double")
    func randomTexts() {
        var random = SeededRandom(seed: 3339)
        var wrong: [String] = []
        for _ in 0..<2000 {
            var text = ["", "-", "+"][Int(random.next() % 3)]
            for _ in 0..<(random.next() % 25 + 1) { text += String(random.next() % 10) }
            if random.next() % 2 == 0 {
                text += "."
                for _ in 0..<(random.next() % 25) { text += String(random.next() % 10) }
            }
            if random.next() % 3 == 0 { text += "e" + ["", "-", "+"][Int(random.next() % 3)] + String(random.next() % 400) }
            let expected = Double(text)!
            let outcome = decoder.decode(text)
            if expected.isFinite {
                if outcome.readings.map(\.value) != [expected] { wrong.append(text) }
            } else if outcome.failures.map(\.reason) != [.notFinite] {
                wrong.append(text)
            }
        }
        #expect(wrong.isEmpty)
    }
}
