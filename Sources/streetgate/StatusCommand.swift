import ArgumentParser
import Foundation
import GatewayCore
import GatewayDaemon
import GatewayStore

struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show what the gateway holds: sensors, buffer, dead letters.",
        discussion: "Reads the buffer read-only, so it works while the daemon runs and after it stopped."
    )

    @OptionGroup var options: ConfigOptions

    @Flag(help: "Print one JSON document (schema streetgate/status-report/1) instead of text.")
    var json = false

    func run() throws {
        let config = try options.load()
        let path = databasePath(for: config)
        let now = SystemWallClock().now()
        let status: BufferStatus?
        if FileManager.default.fileExists(atPath: path) {
            do {
                status = try BufferReader(path: path).status(now: now)
            } catch {
                printError("\(path): \(error)")
                throw ExitCode(1)
            }
        } else {
            status = nil
        }
        let report = StatusReport(config: config, databasePath: path, status: status, now: now)
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
        } else {
            print(report.text(now: now), terminator: "")
        }
    }
}
