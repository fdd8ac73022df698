import FuzzChecks
import GatewayCore

/// The configuration loader, from TOML syntax to the checked model.
///
/// Any bytes are read as UTF-8 (invalid sequences become U+FFFD, as the loader only takes text).
/// Checks: an invalid file has at least one problem, each naming the file, a key and a message on
/// one line without control characters, and a syntax error has a line and column within the file;
/// a valid file has at least one source, and each source's templates and paths build a decoder
/// that accepts a topic made from its template.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: bytes(data, size), as: UTF8.self)
    switch ConfigLoader.parse(text, file: file, environment: environment) {
    case .invalid(let problems):
        require(!problems.isEmpty, "an invalid file without problems")
        for problem in problems {
            require(problem.file == file && !problem.key.isEmpty && !problem.message.isEmpty, "an incomplete problem: \(problem)")
            require(problem.description.hasPrefix(file), "a problem line that does not start with the file")
            require(!problem.description.utf8.contains { $0 < 0x20 || $0 == 0x7F }, "a control character in \(problem)")
            if problem.key == ConfigProblem.syntaxKey { requireWithinText(problem, text) }
        }
    case .valid(let config):
        require(!config.sources.isEmpty, "a valid file without sources")
        for source in config.sources {
            let decoder = PayloadDecoder(
                settings: .init(
                    format: source.format, template: source.template, sensor: source.sensor, metric: source.metric,
                    valuePath: source.valuePath.text, timePath: source.timePath?.text, maxPayloadBytes: source.maxPayload))
            // Levels are split at '/' bytes, as MQTT splits them; each {name} level becomes "x".
            let levels = Array(source.template.pattern.utf8).split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false)
            let topicLevels = levels.map { $0.first == UInt8(ascii: "{") ? Array("x".utf8) : Array($0) }
            let topic = String(decoding: Array(topicLevels.joined(separator: [UInt8(ascii: "/")])), as: UTF8.self)
            let outcome = decoder.decode(topic: topic, payload: Array(#"{"value":1}"#.utf8), receivedAt: Fixture.receivedAt)
            require(!outcome.failures.contains { $0.reason == .topicMismatch }, "a source's template does not match \(topic)")
            requireDecoderPromises(outcome)
        }
    }
    return 0
}

let file = "streetgate.toml"
let environment = ["STATE_DIRECTORY": "/var/lib/streetgate"]

/// A syntax error's line exists in `text`, and its column is at most one past the line's end.
func requireWithinText(_ problem: ConfigProblem, _ text: String) {
    guard let line = problem.line, let column = problem.column else {
        require(false, "a syntax error without a line and column: \(problem)")
        return
    }
    let lines = text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
    require(line >= 1 && line <= lines.count, "a syntax error on line \(line) of \(lines.count): \(problem)")
    let length = String(Substring(lines[line - 1])).unicodeScalars.count
    require(column >= 1 && column <= length + 1, "a syntax error at column \(column) of \(length): \(problem)")
}
