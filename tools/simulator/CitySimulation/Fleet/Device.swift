/// The four sensor domains; the raw value is the `{domain}` topic level.
public enum Domain: String, CaseIterable, Sendable {
    case water
    case waste
    case lighting
    case air

    /// The prefix of the device names: `meter-0001`, `bin-0001`, `lamp-0001`, `aq-0001`.
    public var devicePrefix: String {
        switch self {
        case .water: "meter"
        case .waste: "bin"
        case .lighting: "lamp"
        case .air: "aq"
        }
    }

    /// What each device of the domain measures, in payload order.
    public var metrics: [Metric] {
        switch self {
        case .water: [.flow, .pressure]
        case .waste: [.fill, .temperature]
        case .lighting: [.power]
        case .air: [.pm25, .pm10, .temperature, .humidity]
        }
    }
}

/// One simulated sensor device, e.g. the water meter `meter-0042`.
public struct Device: Sendable, Hashable {
    public let domain: Domain
    /// 1-based.
    public let number: Int

    public init(_ domain: Domain, number: Int) {
        precondition(number >= 1, "device numbers start at 1")
        self.domain = domain
        self.number = number
    }

    /// `meter-0042`: the `{device}` topic level.
    public var name: String {
        let digits = String(number)
        return domain.devicePrefix + "-" + String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    /// The device a name designates: `meter-0042`, or without the leading zeros, `meter-42`.
    public init?(name: String) {
        guard let dash = name.lastIndex(of: "-"),
              let domain = Domain.allCases.first(where: { $0.devicePrefix == name[..<dash] })
        else { return nil }
        let digits = name[name.index(after: dash)...]
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }), let number = Int(digits), number >= 1 else {
            return nil
        }
        self.init(domain, number: number)
    }
}

/// How many devices of each domain a fleet has.
public struct DeviceCounts: Sendable, Hashable {
    public var meters: Int
    public var bins: Int
    public var lamps: Int
    public var airStations: Int

    public init(meters: Int = 20, bins: Int = 20, lamps: Int = 20, airStations: Int = 5) {
        self.meters = meters
        self.bins = bins
        self.lamps = lamps
        self.airStations = airStations
    }

    public func count(of domain: Domain) -> Int {
        switch domain {
        case .water: meters
        case .waste: bins
        case .lighting: lamps
        case .air: airStations
        }
    }

    public var total: Int {
        Domain.allCases.reduce(0) { $0 + count(of: $1) }
    }

    /// Every device, domain by domain, numbered from 1.
    public var devices: [Device] {
        Domain.allCases.flatMap { domain in
            (0..<max(0, count(of: domain))).map { Device(domain, number: $0 + 1) }
        }
    }
}
