/// How a source's payloads are encoded (`format` in a `[[source]]`).
public enum PayloadFormat: String, Sendable, CaseIterable, Codable {
    /// A JSON object; `value` and `time` are dotted paths into it.
    case json
    /// SenML, RFC 8428, JSON representation: a pack of records, one reading per record.
    case senml
    /// A bare number in text.
    case text
}
