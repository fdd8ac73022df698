/// Why a payload, or one record of it, produced no reading. Stored with each dead letter and
/// counted in `health`, so the raw values are part of the public interface.
public enum DeadLetterReason: String, Sendable, CaseIterable, Codable {
    /// Larger than the source's `maxPayloadBytes`; not parsed.
    case tooLarge = "too_large"
    /// Not valid UTF-8 (JSON, SenML and text payloads are all UTF-8 text).
    case invalidUTF8 = "invalid_utf8"
    /// Not strict JSON.
    case notJSON = "not_json"
    /// JSON nested deeper than the limit.
    case tooDeep = "too_deep"
    /// No value where the value path points, or a SenML record without a value or sum.
    case missingValue = "missing_value"
    /// A value that is there but is not a number: a string, an object, text that is not decimal.
    case notANumber = "not_a_number"
    /// A number too large for a Double, such as `1e999`.
    case notFinite = "not_finite"
    /// A time that is not an epoch number or RFC 3339 time between years 0001 and 9999.
    case badTime = "bad_time"
    /// A SenML pack or record that breaks RFC 8428.
    case badSenML = "bad_senml"
    /// The topic does not match the source's template.
    case topicMismatch = "topic_mismatch"
}
