extension PayloadDecoder {
    /// `format = "text"`: the payload is one decimal number, timed when it was received.
    func decodeText(_ payload: UnsafeRawBufferPointer, fields: TopicFields, receivedAt: Timestamp) -> DecodeOutcome {
        if let offset = UTF8Validation.firstInvalidOffset(payload) {
            return .failure(.invalidUTF8, "invalid UTF-8 at byte \(offset)")
        }
        let bytes = UnsafeBufferPointer(start: payload.baseAddress?.assumingMemoryBound(to: UInt8.self), count: payload.count)
        var start = 0
        var end = bytes.count
        while start < end, isASCIIWhitespace(bytes[start]) { start += 1 }
        while end > start, isASCIIWhitespace(bytes[end - 1]) { end -= 1 }
        guard start < end else {
            return .failure(.notANumber, "the payload is empty; expected a decimal number")
        }
        guard let value = parseDecimalText(UnsafeBufferPointer(rebasing: bytes[start..<end])) else {
            return .failure(.notANumber, "the payload is not a decimal number (such as 2.41 or -1.5e3)")
        }
        guard value.isFinite else {
            return .failure(.notFinite, "the number is too large to be finite")
        }
        let reading = Reading(sensor: settings.sensor.render(fields), metric: settings.metric.render(fields), time: receivedAt, value: value)
        return DecodeOutcome(readings: [reading])
    }
}

/// Space, tab, line feed, vertical tab, form feed, carriage return.
@inline(__always)
private func isASCIIWhitespace(_ byte: UInt8) -> Bool {
    byte == 0x20 || (0x09...0x0D).contains(byte)
}
