import ArgumentParser
import Foundation
import GatewayCore
import GatewayDaemon
import GatewayStore

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Print raw readings from the local buffer, oldest first.",
        discussion: """
            csv: a header `time,sensor,metric,value`, time in RFC 3339 UTC with milliseconds; the output \
            replays as is with `streetgate replay`. json: one JSON object per line (JSON Lines) with the \
            same four fields. Readings are streamed, never loaded all at once.
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case csv, json
    }

    @OptionGroup var options: ConfigOptions

    @Option(help: ArgumentHelp("How far back to go, e.g. 30m, 24h, 14d.", valueName: "duration"))
    var since: String

    @Option(help: ArgumentHelp("Only sensors matching this MQTT-style filter, e.g. fes/water/+ or fes/#.", valueName: "filter"))
    var sensor: String?

    @Option(help: "Output format.")
    var format: Format = .csv

    func validate() throws {
        guard DurationText.parse(since) != nil else {
            throw ValidationError("--since \"\(since)\": expected a duration like 30m, 24h or 14d")
        }
        if let sensor {
            do {
                _ = try TopicFilter(sensor)
            } catch {
                throw ValidationError("--sensor \"\(sensor)\": \(error)")
            }
        }
    }

    func run() throws {
        let config = try options.load()
        let duration = DurationText.parse(since)!
        let filter = try sensor.map { try TopicFilter($0) }
        let now = SystemWallClock().now()
        let start = Timestamp(milliseconds: now.milliseconds - DurationText.milliseconds(of: duration))
        let reader: BufferReader
        do {
            reader = try BufferReader(path: databasePath(for: config))
        } catch {
            printError("\(error)")
            throw ExitCode(1)
        }
        var output = OutputBuffer()
        if format == .csv { output.write("time,sensor,metric,value\n") }
        try reader.export(since: start, sensors: { filter?.matches($0) ?? true }) { reading in
            switch format {
            case .csv:
                output.write("\(reading.time.rfc3339),\(CSV.field(reading.sensor)),\(CSV.field(reading.metric)),\(reading.value)\n")
            case .json:
                var json = JSONWriter()
                json.beginObject()
                json.field("time", reading.time.rfc3339)
                json.field("sensor", reading.sensor)
                json.field("metric", reading.metric)
                json.field("value", reading.value)
                json.endObject()
                output.write(json.text + "\n")
            }
        }
        output.flush()
    }
}

enum CSV {
    /// RFC 4180 quoting, only when the field needs it.
    static func field(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
