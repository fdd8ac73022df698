import GatewayCore

/// Stops the run when a promise is broken. The trap is what libFuzzer records as a crash, with the
/// input that caused it, so `message` only has to say which promise.
public func require(
    _ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String,
    file: StaticString = #fileID, line: UInt = #line
) {
    if !condition() { fatalError(message(), file: file, line: line) }
}

/// The source every payload target decodes for: the one from the shipped configuration.
public enum Fixture {
    public static let template = try! TopicTemplate("city/{city}/{domain}/{device}/{metric}")
    public static let topic = "city/fes/water/meter-0042/flow"
    public static let sensor = "fes/water/meter-0042"
    public static let metric = "flow"
    /// 2025-11-26T13:59:00.000Z
    public static let receivedAt = Timestamp(milliseconds: 1_764_165_540_000)

    public static func decoder(
        _ format: PayloadFormat, value: String = "value", time: String? = "ts", maxDepth: Int = 32
    ) -> PayloadDecoder {
        PayloadDecoder(
            settings: .init(
                format: format,
                template: template,
                sensor: try! NameTemplate("{city}/{domain}/{device}", fieldsOf: template),
                metric: try! NameTemplate("{metric}", fieldsOf: template),
                valuePath: value,
                timePath: time,
                maxDepth: maxDepth
            ))
    }
}

/// `PayloadDecoder.decode`'s guarantees, checked on one outcome: at least one reading or failure,
/// finite values, times in years 0001 to 9999, and failure details that are one short line of
/// text (a detail that quoted the payload would carry its control characters or its length).
public func requireDecoderPromises(_ outcome: DecodeOutcome) {
    require(!outcome.readings.isEmpty || !outcome.failures.isEmpty, "neither readings nor failures")
    for reading in outcome.readings {
        require(reading.value.isFinite, "a reading's value is not finite")
        require(reading.time.isInRFC3339Range, "a reading's time is outside years 0001 to 9999")
    }
    for failure in outcome.failures {
        let detail = failure.detail.utf8
        require(!detail.isEmpty, "a failure without a detail")
        require(detail.count <= 300, "a failure detail of \(detail.count) bytes")
        require(!detail.contains { $0 < 0x20 || $0 == 0x7F }, "a control character in a failure detail")
    }
}

/// The input as bytes.
public func bytes(_ data: UnsafePointer<UInt8>, _ size: Int) -> UnsafeRawBufferPointer {
    UnsafeRawBufferPointer(start: data, count: size)
}
