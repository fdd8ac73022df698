import Logging
import Synchronization

/// Keeps every message logged through it, for tests that check what a component said.
struct RecordingLogHandler: LogHandler {
    final class Messages: Sendable {
        private let lines = Mutex<[(Logger.Level, String)]>([])

        func append(_ level: Logger.Level, _ message: String) { lines.withLock { $0.append((level, message)) } }
        var all: [(level: Logger.Level, message: String)] { lines.withLock { $0 } }
    }

    let messages: Messages
    var logLevel: Logger.Level = .trace
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        messages.append(event.level, event.message.description)
    }

    static func logger() -> (Logger, Messages) {
        let messages = Messages()
        return (Logger(label: "test") { _ in RecordingLogHandler(messages: messages) }, messages)
    }
}
