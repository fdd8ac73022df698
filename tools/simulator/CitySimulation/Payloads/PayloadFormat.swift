/// How devices speak: every domain plain JSON, every domain SenML, or the usual mix where the
/// air-quality stations (which measure several things at once) send SenML packs.
public enum PayloadFormat: String, CaseIterable, Sendable {
    /// One JSON message per metric on `city/{city}/{domain}/{device}/{metric}`.
    case json
    /// One SenML pack per device and reading on `senml/{city}/{domain}/{device}`.
    case senml
    /// Air quality as SenML, the rest as JSON.
    case mixed

    public func usesSenML(for domain: Domain) -> Bool {
        switch self {
        case .json: false
        case .senml: true
        case .mixed: domain == .air
        }
    }
}

/// One MQTT message to publish: where, what, and the simulated time it describes.
public struct SimulatedMessage: Sendable, Hashable {
    public var topic: String
    public var payload: [UInt8]
    public var time: SimulatedTime

    public init(topic: String, payload: [UInt8], time: SimulatedTime) {
        self.topic = topic
        self.payload = payload
        self.time = time
    }
}
