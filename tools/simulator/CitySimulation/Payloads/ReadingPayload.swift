/// The plain JSON payload of one reading, `{"value":2.41,"ts":1764165540123}`: `ts` in epoch
/// milliseconds, as `[[source]] format = "json"` with `value = "value"`, `time = "ts"` reads it.
public enum ReadingPayload {
    public static func encode(_ reading: Reading) -> [UInt8] {
        let value = DecimalText.format(reading.value, decimals: reading.metric.decimals)
        return Array("{\"value\":\(value),\"ts\":\(reading.time.epochMilliseconds)}".utf8)
    }

    /// `city/{city}/{domain}/{device}/{metric}`.
    public static func topic(city: City, reading: Reading) -> String {
        "city/\(city.rawValue)/\(reading.device.domain.rawValue)/\(reading.device.name)/\(reading.metric.rawValue)"
    }
}
