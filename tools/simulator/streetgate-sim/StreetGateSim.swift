import ArgumentParser
import CitySimulation
import enum GatewayCore.DurationText
import Logging

/// `streetgate-sim`: a smart city's sensors, publishing to an MQTT broker.
///
/// For demos, end-to-end tests and benchmarks of StreetGate: it plays water meters, waste bins,
/// street lamps and air-quality stations of Fès, Tunis or Alexandria (see `CitySimulation`'s
/// `Scenario` for what they measure and how) and publishes their readings, as the gateway's
/// `[[source]]` expects them:
///
///     city/{city}/{domain}/{device}/{metric}   {"value":2.41,"ts":1764165540123}
///     senml/{city}/air/{device}                [{"bn":"","bt":1764165540.123,"n":"pm25","u":"ug/m3","v":12.3},…]
///
/// Examples:
///
///     streetgate-sim                                          # fes, 65 devices, live, until Ctrl-C
///     streetgate-sim --start 2026-11-26T00:00:00Z --speed 3600 --rate 0 --duration 24s   # a day, fast
///     streetgate-sim --rate 0 --speed 0 --count 100000        # a benchmark load
///     streetgate-sim --dry-run --count 10                     # look, no broker
///     streetgate-sim --incident night-leak:meter-0002@2026-11-26T01:00:00Z+2h --start 2026-11-26T00:00:00Z --speed 600
///     streetgate-sim --csv --start 2026-11-26T00:00:00Z --duration 1d --incident bin-fire:bin-0001 > day.csv
///
/// Pacing: the simulated clock runs `--speed` times real time from `--start`, and `--rate` caps the
/// messages per second; the tighter limit wins (then the simulated clock falls behind). At most 100
/// publishes wait for a PUBACK at any time, and nothing is queued while the broker is away.
///
/// Ending: after `--count` messages, after `--duration`, or on SIGINT/SIGTERM, it stops publishing,
/// waits up to 30 s for the outstanding acknowledgements (a second signal cuts that short), prints a
/// summary and exits 0. If the broker stays unreachable for more than 10 s, it prints why and exits 69.
///
/// Incidents: `--incident KIND:DEVICE[@START][+DURATION]` (repeatable) makes one device misbehave,
/// for the gateway's rules to catch: `night-leak`, `bin-fire`, `pressure-drop`, `stuck-meter`,
/// `failed-lamp`, `silent-sensor`, `spike` (see `CitySimulation`'s `Incident`). START is RFC 3339,
/// 5 simulated minutes after `--start` by default; DURATION (`30m`, `2h`) defaults to the whole run.
///
/// CSV: `--csv` writes the readings to standard output as `time,sensor,metric,value` (the file
/// `streetgate replay` takes) instead of publishing: no broker, no pacing, as fast as they are
/// computed. It needs `--count` (messages; a SenML pack is one message, one line per record) or
/// `--duration`, which then counts simulated time from `--start`, not real time.
///
/// The same `--seed` gives the same devices and the same values, so runs can be compared.
@main
struct StreetGateSim: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "streetgate-sim",
        abstract: "Publishes realistic smart-city sensor readings (water, waste, lighting, air) to an MQTT broker.",
        discussion: """
            JSON readings go to city/{city}/{domain}/{device}/{metric} as {"value":…,"ts":epoch-ms}; \
            SenML packs (RFC 8428) to senml/{city}/{domain}/{device}. The simulated clock runs --speed \
            times real time from --start, capped by --rate. Stops after --count or --duration, or on \
            SIGINT/SIGTERM, then waits up to 30 s for acknowledgements. Exits 69 if the broker is \
            unreachable for more than 10 s. --incident plants a fault on one device (repeatable): \
            \(Incident.kindList). --csv writes time,sensor,metric,value to standard output instead, for \
            streetgate replay: no broker, no pacing, --duration in simulated time.
            """
    )

    @Option(help: ArgumentHelp("The broker: mqtt://HOST[:PORT] or mqtts://HOST[:PORT] (TLS). (default: mqtt://127.0.0.1:1883)", valueName: "url"), transform: parseBroker)
    var url = BrokerAddress(host: "127.0.0.1", port: 1883)

    @Option(help: ArgumentHelp("The city: \(City.allCases.map(\.rawValue).joined(separator: ", ")). (default: fes)", valueName: "name"), transform: parseCity)
    var city = City.fes

    @Option(help: "Water meters (flow, pressure).")
    var meters = 20

    @Option(help: "Waste bins (fill, temperature).")
    var bins = 20

    @Option(help: "Street lamps (power).")
    var lamps = 20

    @Option(help: "Air-quality stations (pm25, pm10, temperature, humidity).")
    var air = 5

    @Option(help: ArgumentHelp("Simulated time between two readings of one device, e.g. 500ms, 5s, 1m. (default: 5s)", valueName: "duration"), transform: parseDuration)
    var interval = SimulationDuration(text: "5s", milliseconds: 5_000)

    @Option(help: ArgumentHelp("Most messages per second of real time, all devices together; 0: as fast as the broker acknowledges.", valueName: "messages"))
    var rate = 200.0

    @Option(help: ArgumentHelp("Stop after this many messages (default: no limit).", valueName: "n"))
    var count: Int?

    @Option(help: ArgumentHelp("Stop after this much real time, e.g. 30s, 10m; with --csv, simulated time from --start (default: no limit).", valueName: "duration"), transform: parseDuration)
    var duration: SimulationDuration?

    @Option(help: "Seed of the simulation: the same seed gives the same devices and values.")
    var seed: UInt64 = 42

    @Option(help: ArgumentHelp("Simulated start time, RFC 3339, e.g. 2026-11-26T00:00:00Z (default: now).", valueName: "time"), transform: parseStart)
    var start: SimulatedTime?

    @Option(help: ArgumentHelp("Simulated seconds per real second: 3600 plays a day in 24 s; 0: no clock limit, only --rate.", valueName: "factor"))
    var speed = 1.0

    @Option(help: ArgumentHelp("Payloads: json (all JSON), senml (all SenML packs) or mixed (air quality as SenML). (default: mixed)", valueName: "format"), transform: parseFormat)
    var format = PayloadFormat.mixed

    @Option(help: "MQTT client id.")
    var clientID = "streetgate-sim"

    @Option(help: "MQTT QoS of the publishes: 0, 1 or 2.")
    var qos = 1

    @Option(name: .customLong("incident"), help: ArgumentHelp(
        "Plant an incident, repeatable: KIND:DEVICE[@START][+DURATION], e.g. night-leak:meter-0002@2026-11-26T01:00:00Z+2h or bin-fire:bin-0001+30m. "
            + "KIND: \(Incident.kindList). START: RFC 3339 (default: 5 simulated minutes after --start); DURATION: e.g. 30m, 2h (default: until the end).",
        valueName: "incident"
    ))
    var incidents: [String] = []

    @Flag(help: "Print the first --count messages (20 if not given), topic and payload, instead of publishing; needs no broker.")
    var dryRun = false

    @Flag(help: "Write the readings to standard output as CSV (time,sensor,metric,value), for streetgate replay, instead of publishing; no broker, no pacing. Needs --count or --duration (simulated time).")
    var csv = false

    @Flag(help: "Log connection events, not only problems.")
    var verbose = false

    func validate() throws {
        for (name, value) in [("--meters", meters), ("--bins", bins), ("--lamps", lamps), ("--air", air)] where value < 0 {
            throw ValidationError("\(name) must be 0 or more, not \(value).")
        }
        guard meters + bins + lamps + air > 0 else {
            throw ValidationError("No devices: give at least one of --meters, --bins, --lamps, --air a positive count.")
        }
        guard interval.milliseconds > 0 else { throw ValidationError("--interval must be longer than 0.") }
        // Below 0.001 a message would wait for longer than any clock can count.
        guard rate == 0 || rate >= 0.001, rate.isFinite else {
            throw ValidationError("--rate must be 0 (unlimited) or at least 0.001, not \(rate).")
        }
        guard speed == 0 || speed >= 0.001, speed.isFinite else {
            throw ValidationError("--speed must be 0 (no clock limit) or at least 0.001, not \(speed).")
        }
        if let count, count < 1 { throw ValidationError("--count must be 1 or more, not \(count).") }
        if let duration, duration.milliseconds <= 0 { throw ValidationError("--duration must be longer than 0.") }
        guard (0...2).contains(qos) else { throw ValidationError("--qos must be 0, 1 or 2, not \(qos).") }
        guard !clientID.isEmpty else { throw ValidationError("--client-id must not be empty.") }
        if csv {
            guard !dryRun else { throw ValidationError("--csv and --dry-run exclude each other: choose CSV readings or MQTT messages.") }
            guard count != nil || duration != nil else {
                throw ValidationError("--csv needs --count (messages) or --duration (simulated time) to know where to stop.")
            }
        }
        // Syntax and devices only: the real start ("now" by default) is taken in run().
        _ = try plantedIncidents(simulationStart: start ?? SimulatedTime(epochMilliseconds: 0))
    }

    /// The `--incident`s, checked against the fleet.
    private func plantedIncidents(simulationStart: SimulatedTime) throws -> [Incident] {
        let counts = deviceCounts
        var planted: [Incident] = []
        for text in incidents {
            let incident: Incident
            do {
                incident = try Incident(parsing: text, defaultStart: simulationStart.adding(milliseconds: 5 * 60_000))
            } catch {
                throw ValidationError("--incident '\(text)': \(error.message).")
            }
            let available = counts.count(of: incident.device.domain)
            guard incident.device.number <= available else {
                throw ValidationError(
                    "--incident '\(text)': there is no \(incident.device.name) with --\(Self.countOption(incident.device.domain)) \(available)."
                )
            }
            planted.append(incident)
        }
        // Messages would stop for good, and the publisher would wait for the next one forever.
        let silencedForGood = Set(planted.filter { $0.kind == .silentSensor && $0.end == nil }.map(\.device))
        guard silencedForGood.count < counts.total else {
            throw ValidationError("--incident: every device is a silent-sensor without end; give one a +DURATION or add a device.")
        }
        return planted
    }

    private var deviceCounts: DeviceCounts {
        DeviceCounts(meters: meters, bins: bins, lamps: lamps, airStations: air)
    }

    private static func countOption(_ domain: Domain) -> String {
        switch domain {
        case .water: "meters"
        case .waste: "bins"
        case .lighting: "lamps"
        case .air: "air"
        }
    }

    func run() async throws {
        let simulationStart = start ?? WallClock.now()
        let scenario = Scenario(
            seed: seed,
            city: city,
            counts: deviceCounts,
            start: simulationStart,
            intervalMilliseconds: interval.milliseconds,
            format: format,
            incidents: try plantedIncidents(simulationStart: simulationStart)
        )
        if csv {
            CSVExport(scenario: scenario, count: count, durationMilliseconds: duration?.milliseconds).run()
            return
        }
        if dryRun {
            for message in scenario.prefix(count ?? 20) {
                printLine(message.topic + " " + String(decoding: message.payload, as: UTF8.self))
            }
            return
        }

        var logger = Logger(label: "streetgate-sim") { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = verbose ? .info : .warning
        let run = SimulatorRun(
            broker: url, clientID: clientID, qos: qos, scenario: scenario, rate: rate, speed: speed,
            count: count, duration: duration.map { .milliseconds($0.milliseconds) }, logger: logger
        )
        printLine(RunReport.startLine(
            broker: url, clientID: clientID, qos: qos, scenario: scenario, interval: interval.text, rate: rate, speed: speed
        ))
        let summary = try await run.run(stop: StopRequest.installed())
        printLine(RunReport.summaryLine(summary))
        if case .brokerUnreachable(let reason) = summary.outcome.ending {
            printError("streetgate-sim: the broker \(url) was unreachable for more than \(SimulatorRun.unreachableLimit.components.seconds) s: \(reason)")
            throw ExitCode(69)
        }
    }
}

// Parsers for the options whose types come from CitySimulation: a transform keeps those types free
// of any ArgumentParser conformance, and names what was expected. ArgumentParser does not show the default of a transformed
// option, so the help texts say it.

private func parseBroker(_ text: String) throws -> BrokerAddress {
    guard let address = BrokerAddress(text) else {
        throw ValidationError("Expected mqtt://HOST[:PORT] or mqtts://HOST[:PORT], not '\(text)'.")
    }
    return address
}

private func parseCity(_ text: String) throws -> City {
    guard let city = City(rawValue: text.lowercased()) else {
        throw ValidationError("Unknown city '\(text)'; expected one of \(City.allCases.map(\.rawValue).joined(separator: ", ")).")
    }
    return city
}

private func parseDuration(_ text: String) throws -> SimulationDuration {
    guard let duration = DurationText.parse(text) else {
        throw ValidationError("Expected a duration such as 500ms, 5s, 15m, 2h or 1d, not '\(text)'.")
    }
    return SimulationDuration(text: text, milliseconds: DurationText.milliseconds(of: duration))
}

private func parseStart(_ text: String) throws -> SimulatedTime {
    guard let time = SimulatedTime(rfc3339: text) else {
        throw ValidationError("Expected an RFC 3339 time such as 2026-11-26T00:00:00Z, not '\(text)'.")
    }
    return time
}

private func parseFormat(_ text: String) throws -> PayloadFormat {
    guard let format = PayloadFormat(rawValue: text.lowercased()) else {
        throw ValidationError("Unknown format '\(text)'; expected json, senml or mixed.")
    }
    return format
}
