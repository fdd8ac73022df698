/// Turns one MQTT message from a source into readings, or into failures that say why not.
///
/// ## What it does with a message
///
/// 1. The topic must match the source's `template` (`city/{city}/{domain}/{device}/{metric}`),
///    else the message fails with `topic_mismatch`. The fields it names build the reading's
///    `sensor` and `metric` through the `sensor` and `metric` name templates.
/// 2. A payload over `maxPayloadBytes` fails with `too_large` and is not parsed at all.
/// 3. The payload is read according to `format`:
///    - `json`: a JSON object (strict RFC 8259, see `JSONParser`). The number at `valuePath` is
///      the value; `true`/`false` count as 1/0, for on/off flags; a string, even `"2.5"`, is
///      `not_a_number`, and an absent value is `missing_value`. The time is at `timePath`: a
///      number is epoch seconds or milliseconds (`Timestamp.fromEpochNumber`), a string is RFC
///      3339, anything else is `bad_time`; with no `timePath`, or nothing at it, the reading
///      takes the time the message was received.
///    - `text`: the payload, less surrounding ASCII whitespace, is a decimal number such as
///      `2.41` or `-1.5e3`; `nan`, `inf`, hex and empty text are `not_a_number`. Time received.
///    - `senml`: an RFC 8428 pack in its JSON form. Base fields carry forward to later records,
///      each record's name (`bn` + `n`) becomes the reading's `metric`, and its time (`bt` + `t`,
///      seconds) is relative to the time received when below 2^28, as §4.5.3 says. One bad record
///      fails alone; the pack's other records still give readings. A field ending in '_' that
///      we do not know fails the whole pack (§4.4).
/// 4. Nesting deeper than `maxDepth` is `too_deep`, invalid UTF-8 is `invalid_utf8`, a number
///    too large for a Double is `not_finite`, and any other malformed JSON is `not_json`.
///
/// ## Guarantees
///
/// `decode` never throws and never traps, whatever the bytes: every message gives at least one
/// reading or one failure, every reading's value is finite and its time lies in years 0001 to
/// 9999, and failure details never quote the payload, so they are safe to log and store.
///
/// ## Speed
///
/// The payload is parsed in place from the client's buffer, and a decoder is built once per
/// source, so templates and paths are compiled once. A typical JSON message decodes in well
/// under two microseconds in release builds.
public struct PayloadDecoder: Sendable {
    public struct Settings: Sendable, Hashable {
        public var format: PayloadFormat
        public var template: TopicTemplate
        public var sensor: NameTemplate
        public var metric: NameTemplate
        /// json: dotted path of the value, such as `value`, `data.flow` or `values.0`.
        public var valuePath: String
        /// json: dotted path of the time; nil, or nothing at the path, means the time received.
        public var timePath: String?
        public var maxPayloadBytes: Int
        public var maxDepth: Int

        public init(
            format: PayloadFormat,
            template: TopicTemplate,
            sensor: NameTemplate,
            metric: NameTemplate,
            valuePath: String = "value",
            timePath: String? = nil,
            maxPayloadBytes: Int = 16384,
            maxDepth: Int = 32
        ) {
            self.format = format
            self.template = template
            self.sensor = sensor
            self.metric = metric
            self.valuePath = valuePath
            self.timePath = timePath
            self.maxPayloadBytes = maxPayloadBytes
            self.maxDepth = maxDepth
        }
    }

    public let settings: Settings
    /// The compiled paths, or why they could not be compiled; config validation should have
    /// caught that, and if not every JSON message says so in its failure.
    let valuePath: Result<JSONPath, JSONPathError>
    let timePath: Result<JSONPath, JSONPathError>?

    public init(settings: Settings) {
        self.settings = settings
        self.valuePath = Result { () throws(JSONPathError) in try JSONPath(settings.valuePath) }
        self.timePath = settings.timePath.map { path in Result { () throws(JSONPathError) in try JSONPath(path) } }
    }

    /// The readings in one message. Never throws, never traps, on any input. Good readings and
    /// failures may both be present (a SenML pack with one bad record).
    public func decode(topic: String, payload: UnsafeRawBufferPointer, receivedAt: Timestamp) -> DecodeOutcome {
        guard let fields = settings.template.match(topic) else {
            return .failure(.topicMismatch, settings.template.mismatch(topic) ?? "the topic does not match the template")
        }
        guard payload.count <= settings.maxPayloadBytes else {
            return .failure(.tooLarge, "the payload is \(payload.count) bytes; the limit is \(settings.maxPayloadBytes)")
        }
        switch settings.format {
        case .json: return decodeJSON(payload, fields: fields, receivedAt: receivedAt)
        case .senml: return decodeSenML(payload, fields: fields, receivedAt: receivedAt)
        case .text: return decodeText(payload, fields: fields, receivedAt: receivedAt)
        }
    }

    /// Convenience for tests and callers that hold an array.
    public func decode(topic: String, payload: [UInt8], receivedAt: Timestamp) -> DecodeOutcome {
        payload.withUnsafeBytes { decode(topic: topic, payload: $0, receivedAt: receivedAt) }
    }

    /// Parses JSON for the `json` and `senml` formats, or the failure that stands for the message.
    func parseJSON(_ payload: UnsafeRawBufferPointer) -> Result<JSONValue, DecodeFailure> {
        do {
            return .success(try JSONParser.parse(payload, maxDepth: settings.maxDepth))
        } catch {
            let reason: DeadLetterReason =
                switch error.reason {
                case .invalidUTF8: .invalidUTF8
                case .tooDeep: .tooDeep
                case .notFinite: .notFinite
                default: .notJSON
                }
            return .failure(DecodeFailure(reason, reason == .notJSON ? "not JSON: \(error)" : error.description))
        }
    }
}
