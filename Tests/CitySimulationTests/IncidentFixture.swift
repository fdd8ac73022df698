import CitySimulation

/// A small city at night (00:00 UTC is 01:00 in Fès: lamps lit, water near its minimum), with one
/// reading a minute, run with and without incidents so the two can be compared report by report.
enum IncidentFixture {
    static let start = SimulatedTime(year: 2026, month: 11, day: 26)
    static let counts = DeviceCounts(meters: 3, bins: 3, lamps: 3, airStations: 2)
    static let interval: Int64 = 60_000
    /// The incidents start 10 minutes in and last 30: the runs cover an hour.
    static let incidentStart = start.adding(milliseconds: 10 * 60_000)
    static let incidentLength: Int64 = 30 * 60_000
    static let intervals = 60

    static func scenario(_ incidents: [Incident] = [], format: PayloadFormat = .json) -> Scenario {
        Scenario(
            seed: 42, city: .fes, counts: counts, start: start, intervalMilliseconds: interval, format: format,
            incidents: incidents
        )
    }

    static func reports(_ incidents: [Incident] = []) -> [DeviceReport] {
        Array(scenario(incidents).reports.prefix(counts.total * intervals))
    }

    static func incident(_ kind: Incident.Kind, _ device: Device) -> Incident {
        Incident(kind, device: device, start: incidentStart, durationMilliseconds: incidentLength)
    }

    /// A device each kind can happen to.
    static func device(for kind: Incident.Kind) -> Device {
        Device(kind.domain ?? .air, number: 2)
    }

    /// The metric each kind changes; nil where it removes the readings.
    static func metric(for kind: Incident.Kind) -> Metric? {
        switch kind {
        case .nightLeak, .stuckMeter: .flow
        case .pressureDrop: .pressure
        case .binFire: .temperature
        case .failedLamp: .power
        case .spike: device(for: kind).domain.metrics[0]
        case .silentSensor: nil
        }
    }

    /// The device's reports in both runs, paired, with the value of `metric` in each.
    static func values(of metric: Metric, _ incident: Incident) -> [(time: SimulatedTime, normal: Double, changed: Double)] {
        zip(reports(), reports([incident])).compactMap { normal, changed in
            guard normal.device == incident.device,
                  let before = normal.readings.first(where: { $0.metric == metric }),
                  let after = changed.readings.first(where: { $0.metric == metric })
            else { return nil }
            return (normal.time, before.value, after.value)
        }
    }
}
