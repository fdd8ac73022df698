import Foundation
import GatewayCore

/// Rules benchmark: what the rule engine costs per reading, and per sensor in memory, at city scale.
///
/// 10,000 sensors (five domains, two cities) × 5 metrics = 50,000 series, under 50 rules of every
/// kind that match different subsets (all sensors, one domain, one city). Readings arrive in
/// round-robin, one per series per simulated minute, with plausible values quantised like real
/// payloads, a few planted incidents (spikes, stuck meters, sensors that go quiet), and a tick each
/// simulated second, as the daemon does.
///
/// Prints the cost per reading (median of 5 runs of 3 million readings each, ticks included), the
/// resident memory the engine's state adds per sensor (from /proc/self/statm), the size of the
/// saved state's binary snapshot per sensor, and how long saving and restoring it take (medians of
/// 5), step by step. Bounded: no arguments, under a minute in a release build.
///
/// Each sensor has 13 (rule, series) pairs on average, 1.5 of them outlier windows.
@main
struct RulesBenchmark {
    static let sensorsPerDomain = 2_000
    static let minutesPerRun = 60
    static let runs = 5
    static let start = Timestamp(milliseconds: 1_795_642_200_000)  // 2026-11-25T21:30:00Z

    static func main() throws {
        let city = CityModel()
        let rules = city.rules()
        let sensorCount = city.sensors.count
        let seriesCount = city.series.count
        print(
            "bench-rules: \(sensorCount) sensors, \(seriesCount) series, \(rules.count) rules, "
                + "\(minutesPerRun) readings per series per run")

        // Values for every series and minute, made before anything is measured.
        let values = city.values(minutes: minutesPerRun + 1)
        // Readings arrive with sensor ids in buffers of their own, as decoded payloads do: the
        // first minute's are made as they are fed (the engine keeps one per sensor, so it is
        // counted as the engine's memory), later ones are equal strings in other buffers.
        let sensorBytes = city.series.map { Array($0.sensor.utf8) }
        let readings = city.readingTemplates()

        // Memory: one engine, filled for a whole run, measured from outside.
        let residentBefore = residentBytes()
        var engine = RuleEngine(rules: rules, zone: FixedOffsetZone(secondsEast: 3600))
        var summary = RunSummary()
        run(&engine, minutes: 0..<(minutesPerRun + 1), sensorBytes, readings, values, &summary)
        let residentAfter = residentBytes()
        let clock = ContinuousClock()
        let saved = try SnapshotTimes.measure(engine, rules: rules, runs: runs)

        // Time: fresh engines; the first minute creates the series and is timed on its own.
        var perReading: [Double] = []
        var creation: [Double] = []
        for index in 1...runs {
            var engine = RuleEngine(rules: rules, zone: FixedOffsetZone(secondsEast: 3600))
            var runSummary = RunSummary()
            let first = clock.measure {
                run(&engine, minutes: 0..<1, sensorBytes, readings, values, &runSummary)
            }
            let steady = clock.measure {
                run(&engine, minutes: 1..<(minutesPerRun + 1), sensorBytes, readings, values, &runSummary)
            }
            let readings = Double(runSummary.readings - seriesCount)
            perReading.append(nanoseconds(steady) / readings)
            creation.append(nanoseconds(first) / Double(seriesCount))
            print(
                "run \(index): \(format(perReading.last!)) ns/reading over \(Int(readings)) readings, "
                    + "first reading of a series \(format(creation.last!)) ns, "
                    + "\(runSummary.raises) raises, \(runSummary.clears) clears")
        }

        let memoryPerSensor = Double(residentAfter - residentBefore) / Double(sensorCount)
        print("")
        print("| figure | value |")
        print("|---|---|")
        print("| rules per reading, median of \(runs) runs (ticks included) | \(format(median(perReading))) ns |")
        print("| first reading of a new series (rule matching) | \(format(median(creation))) ns |")
        print("| resident memory added per sensor | \(format(memoryPerSensor)) B |")
        print("| saved state per sensor (binary snapshot) | \(format(Double(saved.bytes) / Double(sensorCount))) B |")
        print("| saving, under the pipeline's lock: `snapshot()` | \(format(saved.saving)) ms |")
        print("| restoring: `RuleEngineState(snapshot:)` | \(format(saved.decoding)) ms |")
        print("| restoring: `RuleEngine(restoring:)` | \(format(saved.restoring)) ms |")
        print("| series tracked | \(engine.trackedSeries) |")
        let active = engine.activeAlerts.count
        print("| alerts in the memory run | \(summary.raises) raised, \(summary.clears) cleared, \(active) active |")
    }

    struct RunSummary {
        var readings = 0
        var raises = 0
        var clears = 0

        mutating func count(_ actions: [RuleAction]) {
            for action in actions {
                if case .raise = action { raises += 1 } else { clears += 1 }
            }
        }
    }

    /// Feeds `minutes` of round-robin readings, ticking once per simulated second.
    static func run(
        _ engine: inout RuleEngine, minutes: Range<Int>, _ sensorBytes: [[UInt8]], _ templates: [Reading],
        _ values: [Double], _ summary: inout RunSummary
    ) {
        let seriesCount = templates.count
        let readingsPerSecond = seriesCount / 60
        for minute in minutes {
            let minuteStart = start.milliseconds + Int64(minute) * 60_000
            for index in 0..<seriesCount {
                let value = values[minute * seriesCount + index]
                let offset = Int64(index) * 60_000 / Int64(seriesCount)
                if index % readingsPerSecond == 0 {
                    summary.count(engine.tick(now: Timestamp(milliseconds: minuteStart + offset)))
                }
                // NaN marks a sensor that has gone quiet.
                guard !value.isNaN else { continue }
                var reading = templates[index]
                if minute == 0 { reading.sensor = String(decoding: sensorBytes[index], as: UTF8.self) }
                reading.time = Timestamp(milliseconds: minuteStart + offset)
                reading.value = value
                summary.count(engine.observe(reading))
                summary.readings += 1
            }
        }
    }

    static func residentBytes() -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return 0 }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    static func nanoseconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) * 1e9 + Double(attoseconds) / 1e9
    }

    static func median(_ values: [Double]) -> Double {
        values.sorted()[values.count / 2]
    }

    static func format(_ value: Double) -> String {
        String(format: value < 10 ? "%.2f" : "%.0f", value)
    }
}
