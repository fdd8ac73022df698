/// One SenML pack (RFC 8428, JSON) with all of a device's readings of one moment:
///
///     [{"bn":"","bt":1764165540.123,"n":"pm25","u":"ug/m3","v":12.3},{"n":"pm10","u":"ug/m3","v":20.1}]
///
/// The base time `bt` is on the first record only and the records carry no `t`, so every record is
/// at the base time; the device is named by the topic, so the base name is empty.
public enum SenMLPack {
    public static func encode(_ readings: [Reading]) -> [UInt8] {
        guard let first = readings.first else { return Array("[]".utf8) }
        var text = "["
        for (index, reading) in readings.enumerated() {
            if index > 0 { text += "," }
            text += "{"
            if index == 0 {
                text += "\"bn\":\"\",\"bt\":\(DecimalText.seconds(fromMilliseconds: first.time.epochMilliseconds)),"
            }
            let value = DecimalText.format(reading.value, decimals: reading.metric.decimals)
            text += "\"n\":\"\(reading.metric.rawValue)\",\"u\":\"\(reading.metric.unit)\",\"v\":\(value)}"
        }
        text += "]"
        return Array(text.utf8)
    }

    /// `senml/{city}/{domain}/{device}`.
    public static func topic(city: City, device: Device) -> String {
        "senml/\(city.rawValue)/\(device.domain.rawValue)/\(device.name)"
    }
}
