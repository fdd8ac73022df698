/// Why a payload, or one record of it, was not turned into a reading.
public struct DecodeFailure: Error, Sendable, Equatable, CustomStringConvertible {
    public var reason: DeadLetterReason
    /// For people: what was wrong and where (`value at "data.flow" is a string`). Never contains
    /// payload content, so it can be logged and stored without leaking what devices send.
    public var detail: String

    public init(_ reason: DeadLetterReason, _ detail: String) {
        self.reason = reason
        self.detail = detail
    }

    public var description: String { "\(reason.rawValue): \(detail)" }
}

/// What one message gave: its readings and its failures. A SenML pack can give both; every
/// message gives at least one of either.
public struct DecodeOutcome: Sendable, Equatable {
    public var readings: [Reading]
    public var failures: [DecodeFailure]

    public init(readings: [Reading] = [], failures: [DecodeFailure] = []) {
        self.readings = readings
        self.failures = failures
    }

    static func failure(_ reason: DeadLetterReason, _ detail: String) -> DecodeOutcome {
        DecodeOutcome(failures: [DecodeFailure(reason, detail)])
    }
}
