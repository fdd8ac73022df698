import ArgumentParser
import Foundation
import GatewayCore
import GatewayDaemon

struct ReplayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Run the configured rules and windows over recorded readings; print what would be sent.",
        discussion: """
            FILE is CSV with the header time,sensor,metric,value (what `streetgate export` prints); time \
            is RFC 3339 or epoch seconds. The recorded times drive the clock; at the end of the file every \
            open window is closed. Output: one JSON object a line, alert events and aggregate batches in \
            the uplink's shapes. Nothing is sent. Lines that cannot be read are reported on stderr and skipped.
            """
    )

    @OptionGroup var options: ConfigOptions

    @Argument(help: ArgumentHelp("Recorded readings (CSV).", valueName: "file.csv"))
    var file: String

    func run() throws {
        let config = try options.load()
        guard let zone = SystemTimeZone(identifier: config.gateway.timezone) else {
            printError("\(options.path): gateway.timezone: \"\(config.gateway.timezone ?? "")\" is not a time zone this system knows")
            throw exitBadConfig
        }
        guard let input = fopen(file, "r") else {
            printError("\(file): cannot read: \(String(cString: strerror(errno)))")
            throw ExitCode(1)
        }
        defer { fclose(input) }

        var output = OutputBuffer()
        var session = ReplaySession(config: config, zone: zone)
        var recorded: RecordedReadings?
        var lineNumber = 0
        var skipped = 0
        var line: UnsafeMutablePointer<CChar>?
        var capacity = 0
        defer { free(line) }
        while getline(&line, &capacity, input) >= 0, let line {
            lineNumber += 1
            let text = String(cString: line)
            if text.allSatisfy({ $0.isWhitespace }) { continue }
            guard let reader = recorded else {
                do {
                    recorded = try RecordedReadings(header: text)
                } catch {
                    printError("\(file): \(error)")
                    throw ExitCode(1)
                }
                continue
            }
            do {
                let reading = try reader.reading(text, number: lineNumber)
                for json in session.feed(reading) { output.write(json + "\n") }
            } catch {
                skipped += 1
                if skipped <= 20 { printError("\(file): \(error)") }
            }
        }
        for json in session.finish() { output.write(json + "\n") }
        output.flush()
        if skipped > 20 { printError("\(file): \(skipped) lines skipped in all") }
    }
}
