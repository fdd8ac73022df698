import ArgumentParser
import Foundation
import GatewayCore
import GatewayDaemon
import GatewayStore

struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show what a technician needs on site: daemon, clock, sensors, alerts, buffer, hubs, dead letters.",
        discussion: """
            Reads the buffer read-only, so it works while the daemon runs and after it stopped. Colours \
            only on a terminal, and never with NO_COLOR set. The --json document is described in \
            docs/status-json.md.
            """
    )

    @OptionGroup var options: ConfigOptions

    @Flag(help: "Print one JSON document (schema streetgate/status-report/2) instead of text.")
    var json = false

    func run() throws {
        let config = try options.load()
        let path = databasePath(for: config)
        let now = SystemWallClock().now()
        let daemon = RunMarker.inspect(dataDir: config.gateway.dataDir)
        let grid = TrendGrid(now: now, window: config.aggregate.window)
        var status: BufferStatus?
        var trends = Trends(start: grid.start, bucketMilliseconds: grid.bucketMilliseconds, buckets: grid.buckets, source: .none, means: [:])
        var hubs: [HubDelivery] = []
        if FileManager.default.fileExists(atPath: path) {
            do {
                let reader = try BufferReader(path: path)
                status = try reader.status(now: now)
                trends = try reader.trends(start: grid.start, bucketMilliseconds: grid.bucketMilliseconds, buckets: grid.buckets)
                let maxBatch = Dictionary(config.hubs.map { ($0.name, $0.maxBatch) }) { first, _ in first }
                hubs = try reader.hubDeliveries(maxBatch: maxBatch, only: Set(config.hubs.map(\.name)))
            } catch {
                printError("\(path): \(error)")
                throw ExitCode(1)
            }
        }
        let report = StatusReport(
            config: config, databasePath: path, now: now, daemon: daemon, clock: ClockSync.current(),
            status: status, trends: trends, hubs: hubs
        )
        var output = OutputBuffer()
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            output.write(String(decoding: try encoder.encode(report), as: UTF8.self) + "\n")
        } else {
            let style = TerminalStyle.detect(environment: ProcessInfo.processInfo.environment)
            output.write(StatusScreen(report: report, now: now, style: style).render())
        }
    }
}
