extension PayloadDecoder {
    /// `format = "json"`: one reading from the number at the value path.
    func decodeJSON(_ payload: UnsafeRawBufferPointer, fields: TopicFields, receivedAt: Timestamp) -> DecodeOutcome {
        let root: JSONValue
        switch parseJSON(payload) {
        case .success(let value): root = value
        case .failure(let failure): return DecodeOutcome(failures: [failure])
        }
        let valuePath: JSONPath
        switch self.valuePath {
        case .success(let path): valuePath = path
        case .failure(let error): return .failure(.missingValue, "the value path cannot be used: \(error)")
        }
        guard case .object = root else {
            return .failure(
                .missingValue, #"the payload is \#(root.kindDescription); the value path "\#(valuePath)" starts at an object"#)
        }
        let value: Double
        switch valuePath.resolve(in: root) {
        case .found(.number(let number)):
            value = number
        case .found(.bool(let flag)):
            value = flag ? 1 : 0
        case .found(.null):
            return .failure(.missingValue, #"value at "\#(valuePath)" is null"#)
        case .found(let other):
            return .failure(.notANumber, #"value at "\#(valuePath)" is \#(other.kindDescription)"#)
        case .missing:
            return .failure(.missingValue, #"no value at "\#(valuePath)""#)
        case .blocked(let parent, let kind):
            return .failure(.missingValue, #"no value at "\#(valuePath)": "\#(parent)" is \#(kind)"#)
        }
        let time: Timestamp
        switch readTime(root, receivedAt: receivedAt) {
        case .success(let found): time = found
        case .failure(let failure): return DecodeOutcome(failures: [failure])
        }
        let reading = Reading(sensor: settings.sensor.render(fields), metric: settings.metric.render(fields), time: time, value: value)
        return DecodeOutcome(readings: [reading])
    }

    private func readTime(_ root: JSONValue, receivedAt: Timestamp) -> Result<Timestamp, DecodeFailure> {
        guard let timePath else { return .success(receivedAt) }
        let path: JSONPath
        switch timePath {
        case .success(let compiled): path = compiled
        case .failure(let error): return .failure(DecodeFailure(.badTime, "the time path cannot be used: \(error)"))
        }
        switch path.resolve(in: root) {
        case .missing, .blocked:
            return .success(receivedAt)
        case .found(.number(let number)):
            guard let time = Timestamp.fromEpochNumber(number) else {
                return .failure(DecodeFailure(.badTime, #"time at "\#(path)" is a number outside years 0001 to 9999"#))
            }
            return .success(time)
        case .found(.string(let text)):
            guard let time = Timestamp(rfc3339: text) else {
                return .failure(
                    DecodeFailure(.badTime, #"time at "\#(path)" is a string that is not an RFC 3339 time in years 0001 to 9999"#))
            }
            return .success(time)
        case .found(let other):
            return .failure(
                DecodeFailure(.badTime, #"time at "\#(path)" is \#(other.kindDescription); expected epoch seconds or milliseconds, or RFC 3339"#))
        }
    }
}
