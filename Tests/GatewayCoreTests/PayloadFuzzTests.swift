import Testing

@testable import GatewayCore

/// Random and mutated payloads: whatever arrives, decoding ends with readings or failures, never
/// a trap, and what it returns keeps the decoder's promises. Seeded, so every run is the same.
@Suite("Payload fuzzing")
struct PayloadFuzzTests {
    static let seeds: [String] = [
        #"{"value":2.41,"ts":1764165540123}"#,
        #"{"value":true,"ts":"2025-11-26T14:59:00.123+01:00"}"#,
        #"{"data":{"flow":[1.5,2,{"x":null}]},"ts":1.7e9,"s":"caf\u00e9 \ud83d\ude00"}"#,
        #"[{"bn":"urn:dev:ow:10e2073a0108006:","bt":1.276020076001e+09,"bu":"A","bver":5,"n":"voltage","u":"V","v":120.1},{"n":"current","t":-5,"v":1.2},{"n":"current","vb":false},{"n":"x","vs":"y"},{"n":"s","s":3}]"#,
        "  -1.5e3\n",
        "[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]",
    ]

    static let decoders: [PayloadDecoder] = [
        PayloadFixture.decoder(.json),
        PayloadFixture.decoder(.json, value: "data.flow.1", time: "ts", maxPayloadBytes: 128, maxDepth: 4),
        PayloadFixture.decoder(.senml),
        PayloadFixture.decoder(.senml, maxDepth: 3),
        PayloadFixture.decoder(.text),
    ]

    static let structural = Array(#"{}[]",:0.e-"#.utf8)

    /// Checks the promises on one outcome; returns a description of what broke, if anything.
    static func problem(in outcome: DecodeOutcome) -> String? {
        if outcome.readings.isEmpty && outcome.failures.isEmpty { return "neither readings nor failures" }
        for reading in outcome.readings {
            if !reading.value.isFinite { return "a non-finite value" }
            if !reading.time.isInRFC3339Range { return "a time out of range" }
        }
        for failure in outcome.failures where failure.detail.isEmpty { return "a failure without a detail" }
        return nil
    }

    @Test("random bytes always give readings or failures, never a trap")
    func randomBytes() {
        var random = SeededRandom(seed: 1_764_165_540)
        // Bytes JSON is made of, so the parser gets past its first character often.
        let alphabet = Array(#"{}[]",:0123456789.eE+-tfnrulasbv_\ "#.utf8) + [0xC3, 0xA9, 0xFF, 0xED, 0xA0, 0x80, 0x00]
        var problems: [String] = []
        for _ in 0..<3000 {
            let length = Int(random.next() % 48)
            let bytes = (0..<length).map { _ in
                random.next() % 4 == 0 ? UInt8(truncatingIfNeeded: random.next()) : alphabet[Int(random.next() % UInt64(alphabet.count))]
            }
            for decoder in Self.decoders {
                if let problem = Self.problem(in: decoder.decode(bytes: bytes)) { problems.append("\(bytes): \(problem)") }
            }
        }
        #expect(problems.isEmpty)
    }

    @Test("mutated valid payloads always give readings or failures, never a trap")
    func mutatedPayloads() {
        var random = SeededRandom(seed: 8428)
        var problems: [String] = []
        var decodedSomething = 0
        for _ in 0..<3000 {
            var bytes = Array(Self.seeds[Int(random.next() % UInt64(Self.seeds.count))].utf8)
            for _ in 0..<(random.next() % 4 + 1) {
                let position = bytes.isEmpty ? 0 : Int(random.next() % UInt64(bytes.count))
                switch random.next() % 5 {
                case 0 where !bytes.isEmpty: bytes[position] = UInt8(truncatingIfNeeded: random.next())
                case 1: bytes.insert(Self.structural[Int(random.next() % UInt64(Self.structural.count))], at: position)
                case 2 where !bytes.isEmpty: bytes.remove(at: position)
                case 3 where !bytes.isEmpty: bytes[position] ^= 1 << UInt8(random.next() % 8)
                case 4: bytes.insert(contentsOf: bytes.prefix(Int(random.next() % 8)), at: position)
                default: break
                }
            }
            for decoder in Self.decoders {
                let outcome = decoder.decode(bytes: bytes)
                decodedSomething += outcome.readings.count
                if let problem = Self.problem(in: outcome) { problems.append("\(bytes): \(problem)") }
            }
        }
        #expect(problems.isEmpty)
        // The mutations are light enough that some payloads survive them.
        #expect(decodedSomething > 0)
    }

    @Test("every seed payload decodes cleanly in its own format")
    func seedsAreValid() {
        #expect(PayloadFixture.decoder(.json).decode(Self.seeds[0]).failures.isEmpty)
        #expect(PayloadFixture.decoder(.json).decode(Self.seeds[1]).failures.isEmpty)
        #expect(PayloadFixture.decoder(.json, value: "data.flow.1").decode(Self.seeds[2]).readings.map(\.value) == [2])
        #expect(PayloadFixture.decoder(.senml).decode(Self.seeds[3]).readings.count == 4)
        #expect(PayloadFixture.decoder(.text).decode(Self.seeds[4]).readings.map(\.value) == [-1500])
    }

    @Test("random topics never trap the template")
    func randomTopics() {
        var random = SeededRandom(seed: 5)
        let pieces = ["city", "fes", "water", "", "/", "+", "#", "é", "meter-0042", "flow", "$SYS"]
        var matched = 0
        for _ in 0..<2000 {
            let topic = (0..<(random.next() % 8)).map { _ in pieces[Int(random.next() % UInt64(pieces.count))] }.joined(separator: "/")
            let outcome = PayloadFixture.decoder(.text).decode(topic: topic, payload: Array("1".utf8), receivedAt: PayloadFixture.receivedAt)
            #expect(Self.problem(in: outcome) == nil)
            if outcome.readings.count == 1 { matched += 1 }
            #expect((PayloadFixture.template.match(topic) == nil) == (PayloadFixture.template.mismatch(topic) != nil))
        }
        #expect(matched > 0)
    }
}
