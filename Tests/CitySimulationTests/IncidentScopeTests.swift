import CitySimulation
import Testing

@Suite("An incident changes its device's metric while it lasts, and nothing else")
struct IncidentScopeTests {
    @Test("other devices send exactly what they send without the incident", arguments: Incident.Kind.allCases)
    func otherDevicesUntouched(kind: Incident.Kind) {
        let incident = IncidentFixture.incident(kind, IncidentFixture.device(for: kind))
        let normal = IncidentFixture.reports()
        let changed = IncidentFixture.reports([incident])
        #expect(normal.count == changed.count)
        for (before, after) in zip(normal, changed) where before.device != incident.device {
            #expect(before == after)
        }
    }

    @Test("the device's other metrics, and every reading outside the incident, are unchanged", arguments: Incident.Kind.allCases)
    func onlyTheMetricWhileItLasts(kind: Incident.Kind) {
        let incident = IncidentFixture.incident(kind, IncidentFixture.device(for: kind))
        let affected = IncidentFixture.metric(for: kind)
        var changedReports = 0
        for (before, after) in zip(IncidentFixture.reports(), IncidentFixture.reports([incident])) where before.device == incident.device {
            #expect(before.time == after.time)
            if !incident.isActive(at: before.time) {
                #expect(before == after, "\(kind.rawValue) at \(before.time.rfc3339)")
                continue
            }
            if before != after { changedReports += 1 }
            guard let affected else { continue }
            #expect(before.readings.filter { $0.metric != affected } == after.readings.filter { $0.metric != affected })
        }
        let reportsInIncident = Int(IncidentFixture.incidentLength / IncidentFixture.interval)
        #expect(changedReports == (kind == .spike ? 1 : reportsInIncident), "\(kind.rawValue)")
    }

    @Test("without incidents, and with one that has not begun, the messages are those of today's scenario")
    func noIncidentSameOutput() {
        let later = Incident(.binFire, device: Device(.waste, number: 1), start: IncidentFixture.start.adding(hours: 5))
        for format in PayloadFormat.allCases {
            let plain = Scenario(
                seed: 42, city: .fes, counts: IncidentFixture.counts, start: IncidentFixture.start,
                intervalMilliseconds: IncidentFixture.interval, format: format
            )
            let before = Array(plain.prefix(2_000))
            #expect(Array(IncidentFixture.scenario([], format: format).prefix(2_000)) == before)
            #expect(Array(IncidentFixture.scenario([later], format: format).prefix(2_000)) == before)
        }
    }

    @Test("an incident without a duration lasts until the end")
    func endless() {
        let incident = Incident(.failedLamp, device: Device(.lighting, number: 1), start: IncidentFixture.incidentStart)
        #expect(incident.end == nil)
        #expect(incident.isActive(at: IncidentFixture.incidentStart.adding(hours: 10_000)))
        #expect(!incident.isActive(at: IncidentFixture.incidentStart.adding(milliseconds: -1)))
    }
}
