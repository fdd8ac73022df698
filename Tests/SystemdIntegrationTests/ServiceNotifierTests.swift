import Glibc
import SystemdIntegration
import TestSupport
import Testing

/// The contract: each `notify` call is exactly one datagram of `KEY=value` lines on the socket
/// named by NOTIFY_SOCKET, a path or an `@abstract` name; without NOTIFY_SOCKET nothing is sent.
@Suite("sd_notify datagrams")
struct ServiceNotifierTests {
    private func listener(in directory: TemporaryDirectory) throws -> (DatagramListener, ServiceNotifier) {
        let listener = try DatagramListener(notifySocket: directory.file("notify"))
        return (listener, ServiceNotifier(environment: ["NOTIFY_SOCKET": listener.notifySocket]))
    }

    @Test("READY=1 arrives as the whole datagram")
    func ready() async throws {
        let directory = try TemporaryDirectory()
        let (listener, notifier) = try listener(in: directory)
        #expect(notifier.isEnabled)
        try notifier.notify(.ready)
        #expect(await listener.receive() == "READY=1")
    }

    @Test("STOPPING=1 and WATCHDOG=1 are sent as they are")
    func stoppingAndWatchdog() async throws {
        let directory = try TemporaryDirectory()
        let (listener, notifier) = try listener(in: directory)
        try notifier.notify(.watchdog)
        #expect(await listener.receive() == "WATCHDOG=1")
        try notifier.notify(.stopping)
        #expect(await listener.receive() == "STOPPING=1")
    }

    @Test("several states go in one datagram, and a status keeps to one line")
    func statusOnOneLine() async throws {
        let directory = try TemporaryDirectory()
        let (listener, notifier) = try listener(in: directory)
        try notifier.notify(.ready, .status("2 sources subscribed\nbuffer 12 MiB\r\nok"))
        #expect(await listener.receive() == "READY=1\nSTATUS=2 sources subscribed buffer 12 MiB ok")
        try notifier.notify(.mainPID(1234))
        #expect(await listener.receive() == "MAINPID=1234")
    }

    @Test("RELOADING=1 carries MONOTONIC_USEC read from CLOCK_MONOTONIC at the time of sending")
    func reloading() async throws {
        let directory = try TemporaryDirectory()
        let (listener, notifier) = try listener(in: directory)
        let before = monotonicMicroseconds()
        try notifier.notify(.reloading)
        let after = monotonicMicroseconds()
        let datagram = try #require(await listener.receive())
        let lines = datagram.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 2)
        #expect(lines.first == "RELOADING=1")
        let stamp = try #require(lines.last.flatMap { $0.hasPrefix("MONOTONIC_USEC=") ? UInt64($0.dropFirst(15)) : nil })
        #expect(before <= stamp && stamp <= after)
    }

    @Test("an @name socket is reached in the abstract namespace, without a trailing NUL")
    func abstractSocket() async throws {
        let listener = try DatagramListener(notifySocket: uniqueAbstractName())
        let notifier = ServiceNotifier(environment: ["NOTIFY_SOCKET": listener.notifySocket])
        try notifier.notify(.ready)
        #expect(await listener.receive() == "READY=1")
    }

    @Test("without NOTIFY_SOCKET, or with it empty, notify does nothing", arguments: [[:], ["NOTIFY_SOCKET": ""]])
    func unset(environment: [String: String]) throws {
        let notifier = ServiceNotifier(environment: environment)
        #expect(!notifier.isEnabled)
        try notifier.notify(.ready, .status("x"))
    }

    @Test("a socket nobody listens on is an error with errno, not a crash")
    func nobodyListens() throws {
        let directory = try TemporaryDirectory()
        let notifier = ServiceNotifier(environment: ["NOTIFY_SOCKET": directory.file("absent")])
        let error = #expect(throws: NotifyError.self) { try notifier.notify(.watchdog) }
        #expect(error?.errno == ENOENT)
        #expect(error?.description.contains("No such file or directory") == true)
    }

    @Test("a relative NOTIFY_SOCKET or one too long for sun_path is refused")
    func badPaths() throws {
        let relative = #expect(throws: NotifyError.self) {
            try ServiceNotifier(environment: ["NOTIFY_SOCKET": "run/notify"]).notify(.ready)
        }
        #expect(relative?.errno == EINVAL)
        let long = #expect(throws: NotifyError.self) {
            try ServiceNotifier(environment: ["NOTIFY_SOCKET": "/" + String(repeating: "x", count: 120)]).notify(.ready)
        }
        #expect(long?.errno == ENAMETOOLONG)
    }

    @Test("the notifier reads the process environment by default")
    func processEnvironment() {
        // Whatever the test runner's environment says, the default must agree with it.
        let expected = getenv("NOTIFY_SOCKET").map { String(cString: $0) }.map { !$0.isEmpty } ?? false
        #expect(ServiceNotifier().isEnabled == expected)
    }
}

func monotonicMicroseconds() -> UInt64 {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return UInt64(now.tv_sec) * 1_000_000 + UInt64(now.tv_nsec) / 1_000
}
