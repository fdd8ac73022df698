import CitySimulation

/// `--csv`: the scenario's readings on standard output as `time,sensor,metric,value`, the file
/// `streetgate replay` takes, as fast as they are computed (no broker, no pacing).
///
/// It stops after `count` messages (a SenML pack is one message of several lines) or once the
/// simulated clock reaches `start + duration`, whichever comes first.
struct CSVExport {
    let scenario: Scenario
    let count: Int?
    let durationMilliseconds: Int64?

    func run() {
        var output = BufferedOutput()
        output.writeLine(ReadingCSV.header)
        let end = durationMilliseconds.map { scenario.start.adding(milliseconds: $0) }
        var sent = 0
        reports: for report in scenario.reports {
            if let end, report.time >= end { break }
            // One message per reading, or one per report where a SenML pack carries them all.
            let perMessage = scenario.format.usesSenML(for: report.device.domain) ? max(1, report.readings.count) : 1
            for (index, reading) in report.readings.enumerated() {
                if index % perMessage == 0 {
                    if let count, sent >= count { break reports }
                    sent += 1
                }
                output.writeLine(ReadingCSV.line(reading, city: scenario.city))
            }
        }
        output.flush()
    }
}
