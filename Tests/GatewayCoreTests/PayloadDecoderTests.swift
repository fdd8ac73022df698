import Testing

@testable import GatewayCore

/// Shared by the payload test files: the source from the contract's example config.
enum PayloadFixture {
    static let template = try! TopicTemplate("city/{city}/{domain}/{device}/{metric}")
    static let topic = "city/fes/water/meter-0042/flow"
    static let sensor = "fes/water/meter-0042"
    /// 2025-11-26T13:59:00.000Z
    static let receivedAt = Timestamp(milliseconds: 1_764_165_540_000)

    static func decoder(
        _ format: PayloadFormat,
        value: String = "value",
        time: String? = "ts",
        maxPayloadBytes: Int = 16384,
        maxDepth: Int = 32
    ) -> PayloadDecoder {
        PayloadDecoder(
            settings: .init(
                format: format,
                template: template,
                sensor: try! NameTemplate("{city}/{domain}/{device}", fieldsOf: template),
                metric: try! NameTemplate("{metric}", fieldsOf: template),
                valuePath: value,
                timePath: time,
                maxPayloadBytes: maxPayloadBytes,
                maxDepth: maxDepth
            ))
    }

    static func reading(_ value: Double, at milliseconds: Int64 = receivedAt.milliseconds, metric: String = "flow") -> Reading {
        Reading(sensor: sensor, metric: metric, time: Timestamp(milliseconds: milliseconds), value: value)
    }
}

extension PayloadDecoder {
    func decode(_ text: String, topic: String = PayloadFixture.topic) -> DecodeOutcome {
        decode(topic: topic, payload: Array(text.utf8), receivedAt: PayloadFixture.receivedAt)
    }

    func decode(bytes: [UInt8]) -> DecodeOutcome {
        decode(topic: PayloadFixture.topic, payload: bytes, receivedAt: PayloadFixture.receivedAt)
    }

    /// The single failure's reason, or nil when the outcome is anything else.
    func reason(_ text: String) -> DeadLetterReason? {
        let outcome = decode(text)
        guard outcome.readings.isEmpty, outcome.failures.count == 1 else { return nil }
        return outcome.failures[0].reason
    }
}

@Suite("Payload decoder")
struct PayloadDecoderTests {
    @Test("a topic that does not match the template fails the message, whatever the format", arguments: PayloadFormat.allCases)
    func topicMismatch(format: PayloadFormat) {
        let outcome = PayloadFixture.decoder(format).decode(#"{"value":1}"#, topic: "city/fes/water/flow")
        #expect(outcome.readings.isEmpty)
        #expect(outcome.failures == [
            DecodeFailure(.topicMismatch, #"the topic has 4 levels; the template "city/{city}/{domain}/{device}/{metric}" has 5"#)
        ])
    }

    @Test("a payload over the size limit is refused without being parsed", arguments: PayloadFormat.allCases)
    func tooLarge(format: PayloadFormat) {
        let decoder = PayloadFixture.decoder(format, maxPayloadBytes: 16)
        let outcome = decoder.decode(bytes: Array(repeating: UInt8(ascii: "["), count: 17))
        #expect(outcome.failures == [DecodeFailure(.tooLarge, "the payload is 17 bytes; the limit is 16")])
        #expect(decoder.decode("1").failures.allSatisfy { $0.reason != .tooLarge })
    }

    @Test("the default size limit is 16 KiB")
    func defaultLimit() {
        let decoder = PayloadFixture.decoder(.text)
        let atLimit = Array(repeating: UInt8(ascii: " "), count: 16383) + [UInt8(ascii: "5")]
        #expect(decoder.decode(bytes: atLimit).readings == [PayloadFixture.reading(5)])
        #expect(decoder.decode(bytes: atLimit + [UInt8(ascii: " ")]).failures.first?.reason == .tooLarge)
    }

    @Test("sensor and metric are built from the topic")
    func namesFromTopic() throws {
        let template = try TopicTemplate("site/{site}/{kind}/{id}")
        let decoder = PayloadDecoder(
            settings: .init(
                format: .text, template: template,
                sensor: try NameTemplate("{site}-{id}", fieldsOf: template),
                metric: try NameTemplate("{kind}_level", fieldsOf: template)))
        let outcome = decoder.decode(topic: "site/fes/tank/7", payload: Array("3".utf8), receivedAt: PayloadFixture.receivedAt)
        #expect(outcome.readings == [Reading(sensor: "fes-7", metric: "tank_level", time: PayloadFixture.receivedAt, value: 3)])
    }

    @Test("settings default to the value path \"value\", no time path, 16 KiB and depth 32")
    func settingsDefaults() {
        let settings = PayloadDecoder.Settings(
            format: .json, template: PayloadFixture.template,
            sensor: try! NameTemplate("{device}", fieldsOf: PayloadFixture.template),
            metric: try! NameTemplate("{metric}", fieldsOf: PayloadFixture.template))
        #expect(settings.valuePath == "value")
        #expect(settings.timePath == nil)
        #expect(settings.maxPayloadBytes == 16384)
        #expect(settings.maxDepth == 32)
    }

    @Test("the buffer and array entry points agree")
    func bufferAndArray() {
        let decoder = PayloadFixture.decoder(.json)
        let bytes = Array(#"{"value":2.41,"ts":1764165540123}"#.utf8)
        let fromBuffer = bytes.withUnsafeBytes {
            decoder.decode(topic: PayloadFixture.topic, payload: $0, receivedAt: PayloadFixture.receivedAt)
        }
        #expect(fromBuffer == decoder.decode(bytes: bytes))
        #expect(fromBuffer.readings == [PayloadFixture.reading(2.41, at: 1_764_165_540_123)])
    }

    @Test("an empty buffer without a base address is handled", arguments: PayloadFormat.allCases)
    func emptyBuffer(format: PayloadFormat) {
        let outcome = PayloadFixture.decoder(format).decode(
            topic: PayloadFixture.topic, payload: UnsafeRawBufferPointer(start: nil, count: 0), receivedAt: PayloadFixture.receivedAt)
        #expect(outcome.readings.isEmpty)
        #expect(outcome.failures.count == 1)
    }

    @Test("every dead-letter reason has a stable snake_case name")
    func reasonNames() {
        #expect(DeadLetterReason.allCases.map(\.rawValue) == [
            "too_large", "invalid_utf8", "not_json", "too_deep", "missing_value", "not_a_number", "not_finite",
            "bad_time", "bad_senml", "topic_mismatch",
        ])
    }

    @Test("failure details never quote the payload", arguments: [
        (PayloadFormat.json, #"{"value":"SECRET-42"}"#),
        (.json, #"{"value":1,"ts":"SECRET-42"}"#),
        (.json, #"{"SECRET-42":1}"#),
        (.json, #"{"value":SECRET-42}"#),
        (.text, "SECRET-42"),
        (.senml, #"[{"n":"SECRET 42","v":1}]"#),
        (.senml, #"[{"n":"x","vs":"SECRET-42"}]"#),
        (.senml, #"[{"SECRET_":1}]"#),
    ])
    func detailsAreClean(format: PayloadFormat, payload: String) {
        let outcome = PayloadFixture.decoder(format).decode(payload)
        #expect(!outcome.failures.isEmpty)
        for failure in outcome.failures {
            #expect(!failure.detail.contains("SECRET"), "\(failure)")
        }
    }

    @Test("a failure describes itself with its reason and detail")
    func failureDescription() {
        #expect(DecodeFailure(.notANumber, "value at \"value\" is a string").description == #"not_a_number: value at "value" is a string"#)
    }
}
