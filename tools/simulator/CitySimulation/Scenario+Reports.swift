/// One device's report in one interval: when it reports and what it reads, incidents applied.
/// A silent device still has its moment, with no readings, so that time keeps moving for whoever
/// walks the reports.
public struct DeviceReport: Sendable, Hashable {
    public var device: Device
    public var time: SimulatedTime
    public var readings: [Reading]

    public init(device: Device, time: SimulatedTime, readings: [Reading]) {
        self.device = device
        self.time = time
        self.readings = readings
    }
}

extension Scenario {
    /// Every device's reports from `start`, interval after interval, each device at its phase: in
    /// simulated-time order, endless (empty only for an empty fleet).
    public var reports: Reports {
        Reports(scenario: self)
    }

    public struct Reports: Sequence, Sendable {
        let scenario: Scenario

        public func makeIterator() -> Iterator {
            Iterator(scenario: scenario)
        }

        public struct Iterator: IteratorProtocol, Sendable {
            private let scenario: Scenario
            private var interval: Int64 = 0
            private var memberIndex = 0

            init(scenario: Scenario) {
                self.scenario = scenario
            }

            public mutating func next() -> DeviceReport? {
                let members = scenario.fleet.members
                guard !members.isEmpty else { return nil }
                let member = members[memberIndex]
                let time = scenario.start.adding(milliseconds: interval * scenario.intervalMilliseconds + member.phase)
                memberIndex += 1
                if memberIndex == members.count {
                    memberIndex = 0
                    interval += 1
                }
                return DeviceReport(device: member.device, time: time, readings: scenario.readings(of: member.device, at: time))
            }
        }
    }
}
