import Glibc
import Logging
import Synchronization

/// A swift-log handler for a daemon under systemd: priority-prefixed lines when stderr is the
/// journal, timestamped lines anywhere else.
///
/// Whether stderr is the journal is decided once, when the handler is made: systemd connects a
/// service's stderr to journald and sets `JOURNAL_STREAM` to `DEV:INODE` of that stream. The
/// variable alone is not enough, since children inherit it even when their stderr points elsewhere,
/// so it must match `fstat(2)` of the descriptor as well.
///
/// To the journal each line starts with the `sd-daemon(3)` priority prefix and carries no
/// timestamp, because journald adds its own and keeps the level:
///
///     <4>dead letter: payload is not JSON mqtt.topic=city/fes/water/w-12/flow source=local
///
/// Elsewhere (a terminal, a file, a test) it starts with an RFC 3339 UTC time in milliseconds and
/// the level:
///
///     2026-11-26T13:59:00.123Z warning dead letter: payload is not JSON mqtt.topic=city/fes/water/w-12/flow source=local
///
/// Metadata follows the message as ` key=value`, sorted by key; a value with spaces, quotes or
/// `=` in it, or an empty one, is quoted. Line breaks inside the message or a value are written as
/// `\n` (and `\r`), so one log call is one journal entry. Each line leaves in a single `write(2)`
/// under a process-wide lock, so lines from different threads never interleave.
///
/// ```swift
/// LoggingSystem.bootstrap { label in
///     var handler = JournalLogHandler.standardError(label: label)
///     handler.logLevel = .info
///     return handler
/// }
/// ```
public struct JournalLogHandler: LogHandler {
    /// How lines look.
    public enum Format: Sendable, Hashable {
        /// `<N>message`: stderr is the journal.
        case journal
        /// `2026-11-26T13:59:00.123Z level message`: anywhere else.
        case timestamped
    }

    public let label: String
    public let format: Format
    public let fileDescriptor: Int32
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?

    /// A handler writing to `fileDescriptor` in the format `environment` and the descriptor call for.
    public init(
        label: String, fileDescriptor: Int32 = STDERR_FILENO,
        environment: [String: String] = ProcessEnvironment.variables,
        metadataProvider: Logger.MetadataProvider? = nil
    ) {
        let format: Format = Self.isJournal(fileDescriptor: fileDescriptor, environment: environment) ? .journal : .timestamped
        self.init(label: label, fileDescriptor: fileDescriptor, format: format, metadataProvider: metadataProvider)
    }

    /// A handler writing to `fileDescriptor` in `format`.
    public init(label: String, fileDescriptor: Int32, format: Format, metadataProvider: Logger.MetadataProvider? = nil) {
        self.label = label
        self.fileDescriptor = fileDescriptor
        self.format = format
        self.metadataProvider = metadataProvider
    }

    /// The daemon's handler for `LoggingSystem.bootstrap`: stderr, format from the process environment.
    public static func standardError(
        label: String, metadataProvider: Logger.MetadataProvider? = LoggingSystem.metadataProvider
    ) -> JournalLogHandler {
        JournalLogHandler(label: label, metadataProvider: metadataProvider)
    }

    /// Whether `environment`'s `JOURNAL_STREAM` names the stream open on `fileDescriptor`.
    public static func isJournal(fileDescriptor: Int32, environment: [String: String]) -> Bool {
        guard let stream = environment["JOURNAL_STREAM"] else { return false }
        let parts = stream.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let device = UInt64(parts[0]), let inode = UInt64(parts[1]) else { return false }
        var status = stat()
        guard fstat(fileDescriptor, &status) == 0 else { return false }
        return UInt64(status.st_dev) == device && UInt64(status.st_ino) == inode
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() {
            merged.merge(provided) { _, provided in provided }
        }
        if let explicit = event.metadata {
            merged.merge(explicit) { _, explicit in explicit }
        }
        if let error = event.error, merged["error"] == nil {
            merged["error"] = "\(error)"
        }
        let line = LogLine.render(
            level: event.level, message: event.message.description, metadata: merged, format: format,
            timestamp: format == .timestamped ? UTCTimestamp.now() : ""
        )
        LineWriter.write(line, to: fileDescriptor)
    }
}

/// The text of one log line, without I/O.
enum LogLine {
    static func render(
        level: Logger.Level, message: String, metadata: Logger.Metadata, format: JournalLogHandler.Format, timestamp: String
    ) -> String {
        var line: String
        switch format {
        case .journal: line = "<\(priority(level))>"
        case .timestamped: line = "\(timestamp) \(level.rawValue) "
        }
        line += escapingLineBreaks(message)
        for (key, value) in metadata.sorted(by: { $0.key < $1.key }) {
            line += " \(key)=\(quotedIfNeeded(escapingLineBreaks(value.description)))"
        }
        line += "\n"
        return line
    }

    /// The syslog priority journald reads from the `<N>` prefix.
    static func priority(_ level: Logger.Level) -> Int {
        switch level {
        case .critical: 2
        case .error: 3
        case .warning: 4
        case .notice: 5
        case .info: 6
        case .debug, .trace: 7
        }
    }

    private static func escapingLineBreaks(_ text: String) -> String {
        guard text.contains(where: { $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) else { return text }
        var escaped = ""
        for character in text {
            switch character {
            case "\r\n": escaped += "\\r\\n"
            case "\n": escaped += "\\n"
            case "\r": escaped += "\\r"
            default: escaped.append(character)
            }
        }
        return escaped
    }

    private static func quotedIfNeeded(_ value: String) -> String {
        guard value.isEmpty || value.contains(where: { $0.isWhitespace || $0 == "\"" || $0 == "=" }) else { return value }
        var quoted = "\""
        for character in value {
            if character == "\"" || character == "\\" { quoted.append("\\") }
            quoted.append(character)
        }
        return quoted + "\""
    }
}

/// One whole line per `write(2)`, never interleaved with another thread's.
enum LineWriter {
    // Guards nothing but the order of writes: a short write (a full pipe, a signal) is finished
    // before another thread's line may start.
    private static let lock = Mutex(())

    static func write(_ line: String, to fileDescriptor: Int32) {
        let bytes = Array(line.utf8)
        lock.withLock { _ in
            bytes.withUnsafeBytes { buffer in
                var offset = 0
                while offset < buffer.count {
                    let written = Glibc.write(fileDescriptor, buffer.baseAddress! + offset, buffer.count - offset)
                    if written < 0 {
                        // Nowhere left to report a failing log stream; drop the line.
                        guard errno == EINTR else { return }
                        continue
                    }
                    offset += written
                }
            }
        }
    }
}

/// The wall-clock time as RFC 3339 in UTC with milliseconds, e.g. `2026-11-26T13:59:00.123Z`.
enum UTCTimestamp {
    static func now() -> String {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        return format(seconds: time.tv_sec, milliseconds: Int(time.tv_nsec / 1_000_000))
    }

    static func format(seconds: Int, milliseconds: Int) -> String {
        var seconds = seconds
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func padded(_ value: Int32, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(padded(parts.tm_year + 1900, 4))-\(padded(parts.tm_mon + 1, 2))-\(padded(parts.tm_mday, 2))"
            + "T\(padded(parts.tm_hour, 2)):\(padded(parts.tm_min, 2)):\(padded(parts.tm_sec, 2))"
            + ".\(padded(Int32(milliseconds), 3))Z"
    }
}
