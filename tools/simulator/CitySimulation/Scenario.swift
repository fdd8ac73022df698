/// A simulated smart city, as the MQTT messages its sensors send.
///
/// `CitySimulation` is the pure half of `streetgate-sim`: no I/O, no clock, no MQTT. Given a seed,
/// a city, how many devices of each domain, a simulated start time and a reporting interval, a
/// `Scenario` is an endless sequence of ``SimulatedMessage``s (topic, payload bytes, simulated time)
/// in simulated-time order. The same inputs give the same messages, byte for byte, on every run.
///
/// ## The city
/// - **water** (`meter-0001` …): `flow` in m³/h with a night minimum around 02:00–04:00 and morning
///   and evening peaks; `pressure` in bar, 3–5, sagging a little at peak demand.
/// - **waste** (`bin-0001` …): `fill` in %, rising through the day at rates that vary, back to about
///   5 % when the truck's early-morning round empties the bin (every 1–3 days, now and then missed);
///   `temperature` in °C, the air's plus the sun on the bin.
/// - **lighting** (`lamp-0001` …): `power` in W, only standby by day, on from dusk to dawn as
///   computed from the city's latitude and the date, dimmed from 01:00 to 05:00.
/// - **air** (`aq-0001` …): `pm25` and `pm10` in µg/m³ with rush-hour peaks, winter highs, still
///   days and dust episodes; `temperature` and `humidity`.
///
/// Cities are ``City/fes``, ``City/tunis`` and ``City/alexandria``, each with its latitude, a fixed
/// UTC offset, its climate and its weekend. Values are computed as pure functions of
/// (seed, device, time) in ``CityModel``, with seeded traits per device (meter size, lamp rating,
/// collection days) and smooth, seeded noise; nothing depends on what came before.
///
/// ## The messages
/// - JSON, one message per metric: `city/{city}/{domain}/{device}/{metric}` with
///   `{"value":2.41,"ts":1764165540123}` (`ts` in epoch milliseconds).
/// - SenML (RFC 8428), one pack per device per reading: `senml/{city}/{domain}/{device}` with
///   `[{"bn":"","bt":1764165540.123,"n":"pm25","u":"ug/m3","v":12.3},…]`.
/// - ``PayloadFormat`` picks which: `json`, `senml`, or `mixed` (air quality as SenML, the default).
///
/// Every device reports once per interval, at its own phase within it (see ``Fleet``).
///
/// ## Incidents
/// ``Incident``s planted in a scenario make one device misbehave for a while, so that the gateway's
/// rules have something to catch: a night leak or a stuck meter (`flow`), a pressure drop
/// (`pressure`), a bin fire (`temperature`), a failed lamp (`power`), a spike in the first metric,
/// or a silent sensor that sends nothing. Each changes only its device's affected metric while it
/// lasts; without incidents the messages are exactly those of a scenario that never had any.
///
/// ## Readings
/// ``reports`` is the same walk through time as readings rather than payloads (what
/// `streetgate-sim --csv` writes, and ``ReadingCSV`` spells): one ``DeviceReport`` per device and
/// interval, with no readings while the device is silent.
///
/// ## Pacing
/// ``Pacer`` turns simulated time into real time (with a speed factor) and caps the message rate;
/// the executable uses it to decide when to publish, which keeps that logic testable without a clock.
///
/// ```swift
/// let scenario = Scenario(seed: 42, city: .fes, counts: DeviceCounts(), start: start, intervalMilliseconds: 5_000)
/// for message in scenario.prefix(10) { print(message.topic) }
///
/// let leak = Incident(.nightLeak, device: Device(.water, number: 2), start: start.adding(hours: 1))
/// let leaking = Scenario(seed: 42, city: .fes, counts: DeviceCounts(), start: start, intervalMilliseconds: 5_000, incidents: [leak])
/// ```
public struct Scenario: Sequence, Sendable {
    public let model: CityModel
    public let counts: DeviceCounts
    public let start: SimulatedTime
    public let intervalMilliseconds: Int64
    public let format: PayloadFormat
    public let fleet: Fleet
    /// In the order given; where several hit one device, they apply in that order.
    public let incidents: [Incident]
    private let incidentsByDevice: [Device: [Incident]]

    public init(
        seed: UInt64,
        city: City,
        counts: DeviceCounts,
        start: SimulatedTime,
        intervalMilliseconds: Int64,
        format: PayloadFormat = .mixed,
        incidents: [Incident] = []
    ) {
        model = CityModel(city: city, seed: seed)
        self.counts = counts
        self.start = start
        self.intervalMilliseconds = intervalMilliseconds
        self.format = format
        fleet = Fleet(seed: seed, city: city, counts: counts, intervalMilliseconds: intervalMilliseconds)
        self.incidents = incidents
        incidentsByDevice = Dictionary(grouping: incidents, by: \.device)
    }

    public var city: City { model.city }
    public var seed: UInt64 { model.seed }

    /// How many messages one interval produces: one per metric, or one per device where SenML packs them.
    /// Counted without incidents: a silent sensor sends fewer.
    public var messagesPerInterval: Int {
        Domain.allCases.reduce(0) { total, domain in
            total + counts.count(of: domain) * (format.usesSenML(for: domain) ? 1 : domain.metrics.count)
        }
    }

    /// What `device` reads at `time`, with the incidents planted on it; none while it is silent.
    public func readings(of device: Device, at time: SimulatedTime) -> [Reading] {
        var readings = model.readings(of: device, at: time)
        // Most scenarios have no incidents: skip the lookup.
        guard !incidentsByDevice.isEmpty, let planted = incidentsByDevice[device] else { return readings }
        for incident in planted {
            incident.apply(to: &readings, at: time, model: model, intervalMilliseconds: intervalMilliseconds)
        }
        return readings
    }

    /// What `device` sends at `time`.
    public func messages(of device: Device, at time: SimulatedTime) -> [SimulatedMessage] {
        messages(carrying: readings(of: device, at: time), of: device, at: time)
    }

    func messages(carrying readings: [Reading], of device: Device, at time: SimulatedTime) -> [SimulatedMessage] {
        guard !readings.isEmpty else { return [] }
        if format.usesSenML(for: device.domain) {
            return [SimulatedMessage(
                topic: SenMLPack.topic(city: city, device: device), payload: SenMLPack.encode(readings), time: time
            )]
        }
        return readings.map { reading in
            SimulatedMessage(
                topic: ReadingPayload.topic(city: city, reading: reading),
                payload: ReadingPayload.encode(reading),
                time: time
            )
        }
    }

    public func makeIterator() -> Iterator {
        Iterator(reports: reports.makeIterator(), scenario: self)
    }

    /// The messages of ``reports``, in order; ends only for an empty fleet. A fleet whose every device
    /// is silent for good has no next message, and `next()` would look for it forever.
    public struct Iterator: IteratorProtocol, Sendable {
        private var reports: Reports.Iterator
        private let scenario: Scenario
        private var pending: [SimulatedMessage] = []
        private var pendingIndex = 0

        init(reports: Reports.Iterator, scenario: Scenario) {
            self.reports = reports
            self.scenario = scenario
        }

        public mutating func next() -> SimulatedMessage? {
            while pendingIndex == pending.count {
                guard let report = reports.next() else { return nil }
                pending = scenario.messages(carrying: report.readings, of: report.device, at: report.time)
                pendingIndex = 0
            }
            defer { pendingIndex += 1 }
            return pending[pendingIndex]
        }
    }
}
