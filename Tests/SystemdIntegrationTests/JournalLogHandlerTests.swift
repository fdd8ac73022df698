import Glibc
import Logging
import Synchronization
import TestSupport
import Testing

@testable import SystemdIntegration

/// The contract: when JOURNAL_STREAM names the descriptor's device and inode, a line is
/// `<priority>message metadata`; otherwise `timestamp level message metadata`. One call, one line.
@Suite("Log lines for the journal and for everything else")
struct JournalLogHandlerTests {
    /// A pipe whose write end plays stderr.
    final class LogPipe {
        let readEnd: Int32
        let writeEnd: Int32

        init() throws {
            var ends: [Int32] = [0, 0]
            try #require(pipe(&ends) == 0)
            (readEnd, writeEnd) = (ends[0], ends[1])
            _ = fcntl(readEnd, F_SETFD, FD_CLOEXEC)
            _ = fcntl(writeEnd, F_SETFD, FD_CLOEXEC)
            _ = fcntl(readEnd, F_SETFL, O_NONBLOCK)
        }

        /// `DEV:INODE` of the write end, as systemd would put it in JOURNAL_STREAM.
        var journalStream: String {
            var status = stat()
            fstat(writeEnd, &status)
            return "\(status.st_dev):\(status.st_ino)"
        }

        func output() -> String {
            var bytes: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 65536)
            while case let count = read(readEnd, &buffer, buffer.count), count > 0 {
                bytes += buffer[..<count]
            }
            return String(decoding: bytes, as: UTF8.self)
        }

        deinit {
            close(readEnd)
            close(writeEnd)
        }
    }

    private func logger(_ pipe: LogPipe, environment: [String: String], level: Logger.Level = .trace) -> Logger {
        var handler = JournalLogHandler(label: "streetgate", fileDescriptor: pipe.writeEnd, environment: environment)
        handler.logLevel = level
        return Logger(label: "streetgate") { _ in handler }
    }

    @Test("on the journal a warning is <4>, with no timestamp")
    func journalWarning() throws {
        let pipe = try LogPipe()
        let handler = JournalLogHandler(label: "streetgate", fileDescriptor: pipe.writeEnd, environment: ["JOURNAL_STREAM": pipe.journalStream])
        #expect(handler.format == .journal)
        Logger(label: "streetgate") { _ in handler }.warning("warning text")
        #expect(pipe.output() == "<4>warning text\n")
    }

    @Test("on the journal each level has its sd-daemon priority")
    func priorities() throws {
        let pipe = try LogPipe()
        let logger = logger(pipe, environment: ["JOURNAL_STREAM": pipe.journalStream])
        logger.trace("t")
        logger.debug("d")
        logger.info("i")
        logger.notice("n")
        logger.warning("w")
        logger.error("e")
        logger.critical("c")
        #expect(pipe.output() == "<7>t\n<7>d\n<6>i\n<5>n\n<4>w\n<3>e\n<2>c\n")
    }

    @Test(
        "a JOURNAL_STREAM that names another stream, or none, gives timestamped lines",
        arguments: [["JOURNAL_STREAM": "1:2"], ["JOURNAL_STREAM": "nonsense"], [:]]
    )
    func timestamped(environment: [String: String]) throws {
        let pipe = try LogPipe()
        let logger = logger(pipe, environment: environment)
        logger.warning("warning text")
        let line = pipe.output()
        let match = try #require(line.wholeMatch(of: /(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z) warning warning text\n/))
        // The stamp is now, give or take a slow machine.
        let year = try #require(Int(match.1.prefix(4)))
        #expect(year >= 2024)
    }

    @Test("the timestamp is RFC 3339 in UTC with milliseconds")
    func timestampFormat() {
        #expect(UTCTimestamp.format(seconds: 1_795_701_540, milliseconds: 123) == "2026-11-26T13:59:00.123Z")
        #expect(UTCTimestamp.format(seconds: 951_782_400, milliseconds: 7) == "2000-02-29T00:00:00.007Z")
    }

    @Test("metadata follows the message sorted by key, the call's over the handler's, spaces quoted")
    func metadata() throws {
        let pipe = try LogPipe()
        var logger = logger(pipe, environment: ["JOURNAL_STREAM": pipe.journalStream])
        logger[metadataKey: "source"] = "local"
        logger[metadataKey: "hub.name"] = "city"
        logger.info(
            "stored batch",
            metadata: [
                "source": "override", "batch.size": "12", "reason": "not a number", "empty": "",
                "quote": "say \"hi\"", "list": ["a", "b"],
            ]
        )
        #expect(pipe.output() == #"<6>stored batch batch.size=12 empty="" hub.name=city list="[\"a\", \"b\"]" quote="say \"hi\"" reason="not a number" source=override"# + "\n")
    }

    @Test("a metadata provider adds its values")
    func metadataProvider() throws {
        let pipe = try LogPipe()
        let provider = Logger.MetadataProvider { ["request": "r1"] }
        let handler = JournalLogHandler(
            label: "streetgate", fileDescriptor: pipe.writeEnd, environment: ["JOURNAL_STREAM": pipe.journalStream],
            metadataProvider: provider
        )
        Logger(label: "streetgate") { _ in handler }.info("hello", metadata: ["a": "1"])
        #expect(pipe.output() == "<6>hello a=1 request=r1\n")
    }

    @Test("a message of several lines becomes one line")
    func multiLine() throws {
        let pipe = try LogPipe()
        let logger = logger(pipe, environment: ["JOURNAL_STREAM": pipe.journalStream])
        logger.error("first\nsecond\r\nthird", metadata: ["detail": "a\nb"])
        #expect(pipe.output() == #"<3>first\nsecond\r\nthird detail=a\nb"# + "\n")
    }

    @Test("messages below the log level are not written")
    func logLevel() throws {
        let pipe = try LogPipe()
        let logger = logger(pipe, environment: ["JOURNAL_STREAM": pipe.journalStream], level: .notice)
        logger.info("hidden")
        logger.notice("shown")
        #expect(pipe.output() == "<5>shown\n")
    }

    @Test("lines logged from many threads at once never interleave")
    func concurrentLines() async throws {
        let directory = try TemporaryDirectory()
        let descriptor = open(directory.file("log"), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        try #require(descriptor >= 0)
        defer { close(descriptor) }
        let handler = JournalLogHandler(label: "streetgate", fileDescriptor: descriptor, format: .journal)
        let logger = Logger(label: "streetgate") { _ in handler }
        let filler = String(repeating: "x", count: 5000)
        await withTaskGroup(of: Void.self) { group in
            for writer in 0..<8 {
                group.addTask {
                    for index in 0..<100 { logger.info("\(writer)-\(index) \(filler)") }
                }
            }
        }
        let lines = String(decoding: readFile(directory.file("log")), as: UTF8.self).split(separator: "\n")
        #expect(lines.count == 800)
        #expect(lines.allSatisfy { $0.wholeMatch(of: /<6>\d-\d+ x{5000}/) != nil })
    }

    @Test("standardError(label:) decides from the process environment and fd 2")
    func standardError() {
        let handler = JournalLogHandler.standardError(label: "streetgate")
        #expect(handler.fileDescriptor == STDERR_FILENO)
        let expected = JournalLogHandler.isJournal(fileDescriptor: STDERR_FILENO, environment: ProcessEnvironment.variables)
        #expect((handler.format == .journal) == expected)
    }
}

private func readFile(_ path: String) -> [UInt8] {
    let descriptor = open(path, O_RDONLY | O_CLOEXEC)
    defer { close(descriptor) }
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65536)
    while case let count = read(descriptor, &buffer, buffer.count), count > 0 {
        bytes += buffer[..<count]
    }
    return bytes
}
