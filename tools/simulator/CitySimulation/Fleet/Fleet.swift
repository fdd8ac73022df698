/// The devices of a scenario in the order they report within each interval.
///
/// Real sensors are not synchronised: each one reports at its own offset (phase) within the
/// interval, drawn from the seed. So the messages of one interval are spread over it instead of
/// arriving in one burst, and domains interleave.
public struct Fleet: Sendable, Hashable {
    public struct Member: Sendable, Hashable {
        public let device: Device
        /// Milliseconds after the start of each interval at which this device reports.
        public let phase: Int64
    }

    /// Sorted by phase, ties in device order.
    public let members: [Member]

    public init(seed: UInt64, city: City, counts: DeviceCounts, intervalMilliseconds: Int64) {
        precondition(intervalMilliseconds > 0, "the reporting interval must be positive")
        let devices = counts.devices
        let unsorted = devices.enumerated().map { index, device in
            let identity = SensorIdentity(seed: seed, city: city, device: device)
            let draw = Noise.unit(Noise.key(identity.key, 0x9A5E))
            return (index, Member(device: device, phase: Int64(draw * Double(intervalMilliseconds))))
        }
        members = unsorted
            .sorted { ($0.1.phase, $0.0) < ($1.1.phase, $1.0) }
            .map(\.1)
    }
}
