import enum GatewayCore.DurationText

/// Incidents as the command line spells them: `KIND:DEVICE[@START][+DURATION]`, e.g.
/// `night-leak:meter-0002@2026-11-26T01:00:00Z+2h` or `bin-fire:bin-0001+30m`.
///
/// DEVICE is a name (`meter-0002`, or `meter-2`), or a bare number where the kind says the domain
/// (`bin-fire:3` is `bin-0003`). START is RFC 3339; DURATION is written as in the configuration
/// (`30m`, `2h`, `1h30m`); without it the incident lasts until the end.
extension Incident {
    public struct ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        public var message: String

        public init(_ message: String) {
            self.message = message
        }

        public var description: String { message }
    }

    public static let syntax = "KIND:DEVICE[@START][+DURATION]"

    /// The kinds as typed, for help and error texts: `night-leak, bin-fire, …`.
    public static var kindList: String {
        Kind.allCases.map(\.rawValue).joined(separator: ", ")
    }

    /// Reads `text`; `defaultStart` is used when it gives no START. The error says what was expected.
    public init(parsing text: String, defaultStart: SimulatedTime) throws(ParseError) {
        guard let colon = text.firstIndex(of: ":") else {
            throw ParseError("expected \(Self.syntax), e.g. night-leak:meter-0002@2026-11-26T01:00:00Z+2h; kinds: \(Self.kindList)")
        }
        let kindText = text[..<colon]
        guard let kind = Kind(rawValue: kindText.lowercased()) else {
            throw ParseError("unknown kind '\(kindText)'; expected one of \(Self.kindList)")
        }
        var rest = text[text.index(after: colon)...]
        let deviceEnd = rest.firstIndex { $0 == "@" || $0 == "+" } ?? rest.endIndex
        let device = try Self.device(String(rest[..<deviceEnd]), for: kind)
        rest = rest[deviceEnd...]

        var start = defaultStart
        var duration: Int64?
        if rest.hasPrefix("@") {
            (start, duration) = try Self.startAndDuration(rest.dropFirst())
        } else if rest.hasPrefix("+") {
            duration = try Self.duration(rest.dropFirst())
        }
        self.init(kind, device: device, start: start, durationMilliseconds: duration)
    }

    private static func device(_ text: String, for kind: Kind) throws(ParseError) -> Device {
        let device: Device
        if let named = Device(name: text) {
            device = named
        } else if let domain = kind.domain, text.allSatisfy({ $0.isASCII && $0.isNumber }), let number = Int(text), number >= 1 {
            device = Device(domain, number: number)
        } else {
            let names = Domain.allCases.map { $0.devicePrefix + "-0001" }.joined(separator: ", ")
            throw ParseError("expected DEVICE as a name such as \(names), not '\(text)'")
        }
        guard kind.canAffect(device) else {
            let devices = kind.domain.map { "\(Self.plural($0)) (\($0.devicePrefix)-NNNN)" } ?? "any device"
            throw ParseError("\(kind.rawValue) happens to \(devices), not to \(device.name)")
        }
        return device
    }

    private static func plural(_ domain: Domain) -> String {
        switch domain {
        case .water: "water meters"
        case .waste: "waste bins"
        case .lighting: "street lamps"
        case .air: "air-quality stations"
        }
    }

    /// `START` or `START+DURATION`. A start may carry its own `+01:00` offset, so only a last `+`
    /// followed by a duration ends it.
    private static func startAndDuration(_ text: Substring) throws(ParseError) -> (SimulatedTime, Int64?) {
        if let plus = text.lastIndex(of: "+"),
           let time = SimulatedTime(rfc3339: String(text[..<plus])),
           let duration = DurationText.parse(String(text[text.index(after: plus)...]))
        {
            return (time, try positive(duration, text: text[text.index(after: plus)...]))
        }
        guard let time = SimulatedTime(rfc3339: String(text)) else {
            throw ParseError(
                "expected START as an RFC 3339 time such as 2026-11-26T01:00:00Z, "
                    + "optionally followed by +DURATION such as +30m, not '\(text)'"
            )
        }
        return (time, nil)
    }

    private static func duration(_ text: Substring) throws(ParseError) -> Int64 {
        guard let duration = DurationText.parse(String(text)) else {
            throw ParseError("expected DURATION such as 30m, 2h or 1h30m, not '\(text)'")
        }
        return try positive(duration, text: text)
    }

    private static func positive(_ duration: Duration, text: Substring) throws(ParseError) -> Int64 {
        let milliseconds = DurationText.milliseconds(of: duration)
        guard milliseconds > 0 else { throw ParseError("DURATION must be longer than 0, not '\(text)'") }
        return milliseconds
    }
}

extension Incident: CustomStringConvertible {
    /// The incident as `--incident` takes it, start and duration spelled out:
    /// `bin-fire:bin-0001@2026-11-26T10:10:00.000Z+30m`.
    public var description: String {
        let duration = durationMilliseconds.map { "+" + DurationText.format(.milliseconds($0)) } ?? ""
        return "\(kind.rawValue):\(device.name)@\(start.rfc3339)\(duration)"
    }
}
