/// Something going wrong with one device for a while, planted in a ``Scenario`` so that the
/// gateway's rules have something to catch: a leak at night, a burning bin, a dead lamp.
///
/// An incident changes only what its kind says, only for its device and only while it lasts; every
/// other reading stays exactly what the scenario sends without it. Magnitudes (how big the leak, how
/// hot the fire) are drawn from the seed, the device, the kind and the start, so runs repeat.
public struct Incident: Sendable, Hashable {
    public enum Kind: String, CaseIterable, Sendable {
        /// Water keeps running: the meter's `flow` stays 3–5 m³/h above demand, which stands out at
        /// night when demand is near its minimum.
        case nightLeak = "night-leak"
        /// The bin's `temperature` climbs to 70–90 °C over about ten minutes and flickers there by ±1 °C.
        case binFire = "bin-fire"
        /// A burst main: the meter's `pressure` falls by 1.5–2 bar within a minute.
        case pressureDrop = "pressure-drop"
        /// The meter's `flow` repeats, exactly, the value it read when it got stuck.
        case stuckMeter = "stuck-meter"
        /// The lamp's `power` is 0, by night as by day.
        case failedLamp = "failed-lamp"
        /// The device publishes nothing at all (a flat battery, a broken modem).
        case silentSensor = "silent-sensor"
        /// One reading of the device's first metric is 10 × its normal value: the first report at
        /// or after the start, once; the duration does not matter.
        case spike

        /// The domain whose devices this kind can happen to; nil for any device.
        public var domain: Domain? {
            switch self {
            case .nightLeak, .pressureDrop, .stuckMeter: .water
            case .binFire: .waste
            case .failedLamp: .lighting
            case .silentSensor, .spike: nil
            }
        }

        public func canAffect(_ device: Device) -> Bool {
            domain.map { $0 == device.domain } ?? true
        }
    }

    public var kind: Kind
    public var device: Device
    /// When it begins, in simulated time.
    public var start: SimulatedTime
    /// How long it lasts; nil: until the end of the simulation.
    public var durationMilliseconds: Int64?

    public init(_ kind: Kind, device: Device, start: SimulatedTime, durationMilliseconds: Int64? = nil) {
        precondition(kind.canAffect(device), "\(kind.rawValue) cannot happen to \(device.name)")
        precondition((durationMilliseconds ?? 1) > 0, "an incident lasts longer than 0")
        self.kind = kind
        self.device = device
        self.start = start
        self.durationMilliseconds = durationMilliseconds
    }

    /// When it is over (exclusive); nil: never.
    public var end: SimulatedTime? {
        durationMilliseconds.map { start.adding(milliseconds: $0) }
    }

    /// Whether `time` falls in `start ..< end`.
    public func isActive(at time: SimulatedTime) -> Bool {
        guard time >= start else { return false }
        return end.map { time < $0 } ?? true
    }

    /// Milliseconds since the start.
    func elapsed(at time: SimulatedTime) -> Int64 {
        time.epochMilliseconds - start.epochMilliseconds
    }
}
