import Logging
import Synchronization

/// Keeps every message logged through it, for tests that check what a component said.
public struct RecordingLogHandler: LogHandler {
    public final class Messages: Sendable {
        private let lines = Mutex<[(Logger.Level, String)]>([])

        public func append(_ level: Logger.Level, _ message: String) { lines.withLock { $0.append((level, message)) } }
        public var all: [(level: Logger.Level, message: String)] { lines.withLock { $0 } }
    }

    public let messages: Messages
    public var logLevel: Logger.Level = .trace
    public var metadata: Logger.Metadata = [:]

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        messages.append(event.level, event.message.description)
    }

    public init(messages: Messages) {
        self.messages = messages
    }

    public static func logger() -> (Logger, Messages) {
        let messages = Messages()
        return (Logger(label: "test") { _ in RecordingLogHandler(messages: messages) }, messages)
    }
}
