/// Readings as the CSV that `streetgate export` writes and `streetgate replay` reads:
///
///     time,sensor,metric,value
///     2026-11-26T10:00:07.412Z,fes/waste/bin-0001,temperature,14.2
///
/// The sensor id is `{city}/{domain}/{device}`, as the shipped `sensor` template builds it, and the
/// value has the decimals the payloads carry, so a replay sees what the gateway would have stored.
public enum ReadingCSV {
    public static let header = "time,sensor,metric,value"

    /// `fes/waste/bin-0001`.
    public static func sensor(city: City, device: Device) -> String {
        "\(city.rawValue)/\(device.domain.rawValue)/\(device.name)"
    }

    /// One line, without its newline. No field needs quoting: names and numbers have no commas.
    public static func line(_ reading: Reading, city: City) -> String {
        reading.time.rfc3339 + "," + sensor(city: city, device: reading.device) + "," + reading.metric.rawValue + ","
            + DecimalText.format(reading.value, decimals: reading.metric.decimals)
    }
}
