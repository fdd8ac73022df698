import ArgumentParser
import Foundation
import GatewayCore
import GatewayDaemon

struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate the configuration; with --online, also the brokers, the disk, the database and the clock.",
        discussion: """
            One PASS or FAIL line per item; a configuration problem names the file, the key and what \
            was expected. With --online each FAIL is followed by what to do next, and check also:
            - creates and deletes a file in gateway.data_dir;
            - wants free space for the buffer to grow to buffer.max_size, plus 64 MiB to spare;
            - runs SQLite's quick_check on the database, read-only (no database yet passes);
            - connects to every source broker and subscribes to its topics, and to every hub, \
            with the configured credentials and TLS files, waiting 5 s at most, a client id of its own \
            (streetgate-check-<gateway>-<source>, streetgate-check-<gateway>-hub-<hub>) and a clean \
            session, so the daemon's sessions are untouched; nothing is published;
            - asks the kernel whether the clock is synchronised.
            Exit status: 0 all good, 1 a problem found, 78 the file could not be read.
            """
    )

    @OptionGroup var options: ConfigOptions

    @Flag(help: "Also connect to every source broker and hub, and check disk space, database health and clock sync.")
    var online = false

    /// How long each broker has to accept the connection and the subscriptions.
    static let brokerTimeout: Duration = .seconds(5)

    func run() async throws {
        let path = options.path
        let style = TerminalStyle.detect(environment: ProcessInfo.processInfo.environment)
        let config: GatewayConfig
        switch ConfigFile.load(path: path, environment: ProcessInfo.processInfo.environment) {
        case .failure(.unreadable(_, let reason)):
            printError("\(path): cannot read the configuration: \(reason)")
            throw exitBadConfig
        case .failure(.invalid(let problems)):
            let results = problems.map { CheckResult.fail("config", "\($0)", next: "edit \($0.key) in \(path)") }
            report(results, itemWidth: 6, style: style)
            throw ExitCode(1)
        case .success(let parsed):
            config = parsed
        }

        var results: [CheckResult]
        let problems = EnvironmentChecks.problems(in: config, file: path)
        if problems.isEmpty {
            let counts = [
                Self.count(config.sources.count, "source"), Self.count(config.hubs.count, "hub"),
                Self.count(config.rules.count, "rule"),
            ]
            results = [.pass("config", "\(path) valid: gateway \(config.gateway.id), " + counts.joined(separator: ", "))]
        } else {
            results = problems.map { .fail("config", "\($0)", next: "edit \($0.key) in \(path)") }
        }
        // Local and cheap: reported with or without --online.
        let damaged = LocalChecks.damagedBuffers(near: databasePath(for: config))
        guard online else {
            results += [damaged].compactMap { $0 }
            report(results, itemWidth: results.map(\.item.count).max() ?? 6, style: style)
            if results.contains(where: { !$0.passed }) { throw ExitCode(1) }
            return
        }

        let items = ["config", "data_dir", "disk", "database", "damaged", "clock"]
            + config.sources.map { "source \($0.name)" } + config.hubs.map { "hub \($0.name)" }
        let itemWidth = items.map(\.count).max() ?? 8
        let dataDir = config.gateway.dataDir
        let database = databasePath(for: config)
        results += [
            LocalChecks.dataDirectory(dataDir),
            LocalChecks.diskSpace(dataDir: dataDir, databasePath: database, maxSize: config.buffer.maxSize),
            LocalChecks.database(database),
        ]
        results += [damaged].compactMap { $0 }
        report(results, itemWidth: itemWidth, style: style)

        let brokers = await Self.probeBrokers(config, timeout: Self.brokerTimeout)
        let clock = LocalChecks.clock(ClockSync.current())
        report(brokers + [clock], itemWidth: itemWidth, style: style)
        if (results + brokers + [clock]).contains(where: { !$0.passed }) {
            throw ExitCode(1)
        }
    }

    private func report(_ results: [CheckResult], itemWidth: Int, style: TerminalStyle) {
        for result in results {
            for line in result.lines(itemWidth: itemWidth, nextSteps: online, style: style) {
                print(line)
            }
        }
        fflush(nil)
    }

    /// Every source, then every hub, all at once.
    private static func probeBrokers(_ config: GatewayConfig, timeout: Duration) async -> [CheckResult] {
        let gatewayID = config.gateway.id
        return await withTaskGroup(of: (Int, CheckResult).self) { group in
            for (index, source) in config.sources.enumerated() {
                group.addTask {
                    let probe = await ConnectionCheck.probe(source: source, gatewayID: gatewayID, timeout: timeout)
                    return (index, BrokerChecks.result(source: source, index: index, probe: probe))
                }
            }
            for (index, hub) in config.hubs.enumerated() {
                group.addTask {
                    let probe = await ConnectionCheck.probe(hub: hub, gatewayID: gatewayID, timeout: timeout)
                    return (config.sources.count + index, BrokerChecks.result(hub: hub, index: index, probe: probe))
                }
            }
            var results: [(Int, CheckResult)] = []
            for await result in group {
                results.append(result)
            }
            return results.sorted { $0.0 < $1.0 }.map(\.1)
        }
    }

    private static func count(_ number: Int, _ noun: String) -> String {
        "\(number) \(noun)\(number == 1 ? "" : "s")"
    }
}
