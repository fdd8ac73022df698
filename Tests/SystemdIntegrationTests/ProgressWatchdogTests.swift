import Logging
import SystemdIntegration
import TestSupport
import Testing

/// The contract: WATCHDOG=1 goes out only while every heartbeat beat within the tolerance (or is
/// idle or retired), every ping interval (half of WATCHDOG_USEC); a stall withholds pings and is
/// logged once when it starts and once when it ends.
@Suite("The progress watchdog")
struct ProgressWatchdogTests {
    private let settings = WatchdogSettings(timeout: .seconds(30))

    private func watchdog(
        settings: WatchdogSettings?, directory: TemporaryDirectory, logger: Logger = Logger(label: "test")
    ) throws -> (ProgressWatchdog<ManualClock>, ManualClock, DatagramListener) {
        let listener = try DatagramListener(notifySocket: directory.file("notify"))
        let clock = ManualClock()
        let notifier = ServiceNotifier(environment: ["NOTIFY_SOCKET": listener.notifySocket])
        return (ProgressWatchdog(settings: settings, notifier: notifier, logger: logger, clock: clock), clock, listener)
    }

    @Test("heartbeats that beat within the tolerance get a ping")
    func progressPings() async throws {
        let directory = try TemporaryDirectory()
        let (watchdog, clock, listener) = try watchdog(settings: settings, directory: directory)
        let ingest = watchdog.heartbeat("ingest")
        let store = watchdog.heartbeat("store")
        clock.advance(by: .seconds(25))
        ingest.beat()
        store.beat()
        clock.advance(by: .seconds(20))
        #expect(watchdog.checkAndNotify(now: clock.now) == .healthy)
        #expect(await listener.receive() == "WATCHDOG=1")
    }

    @Test("a heartbeat silent for longer than the tolerance withholds the ping")
    func stallWithholds() async throws {
        let directory = try TemporaryDirectory()
        let (logger, messages) = RecordingLogHandler.logger()
        let (watchdog, clock, listener) = try watchdog(settings: settings, directory: directory, logger: logger)
        let ingest = watchdog.heartbeat("ingest")
        let store = watchdog.heartbeat("store")
        clock.advance(by: .seconds(31))
        store.beat()
        #expect(watchdog.checkAndNotify(now: clock.now) == .stalled(["ingest"]))
        #expect(watchdog.checkAndNotify(now: clock.now) == .stalled(["ingest"]))
        #expect(await listener.receive(within: 200) == nil)
        #expect(messages.all.filter { $0.level == .warning }.count == 1)

        ingest.beat()
        #expect(watchdog.checkAndNotify(now: clock.now) == .healthy)
        #expect(await listener.receive() == "WATCHDOG=1")
        #expect(messages.all.last?.level == .notice)
    }

    @Test("an idle heartbeat is healthy however long it waits, until it beats again")
    func idleIsHealthy() async throws {
        let directory = try TemporaryDirectory()
        let (watchdog, clock, listener) = try watchdog(settings: settings, directory: directory)
        let store = watchdog.heartbeat("store")
        store.idle()
        clock.advance(by: .seconds(3600))
        #expect(watchdog.checkAndNotify(now: clock.now) == .healthy)
        #expect(await listener.receive() == "WATCHDOG=1")

        store.beat()
        clock.advance(by: .seconds(31))
        #expect(watchdog.checkAndNotify(now: clock.now) == .stalled(["store"]))
    }

    @Test("a retired heartbeat no longer holds the watchdog back")
    func retiredIsIgnored() async throws {
        let directory = try TemporaryDirectory()
        let (watchdog, clock, listener) = try watchdog(settings: settings, directory: directory)
        watchdog.heartbeat("ingest").retire()
        clock.advance(by: .seconds(600))
        #expect(watchdog.checkAndNotify(now: clock.now) == .healthy)
        #expect(await listener.receive() == "WATCHDOG=1")
    }

    @Test("without watchdog settings nothing is sent, though heartbeats are still judged")
    func disabledSendsNothing() async throws {
        let directory = try TemporaryDirectory()
        let (watchdog, clock, listener) = try watchdog(settings: nil, directory: directory)
        _ = watchdog.heartbeat("ingest")
        #expect(watchdog.checkAndNotify(now: clock.now) == .healthy)
        #expect(await listener.receive(within: 200) == nil)
    }

    @Test("the tolerance defaults to WATCHDOG_USEC, two ping intervals")
    func defaultTolerance() throws {
        let directory = try TemporaryDirectory()
        let (watchdog, _, _) = try watchdog(settings: settings, directory: directory)
        #expect(watchdog.tolerance == .seconds(30))
        #expect(watchdog.settings?.pingInterval == .seconds(15))
    }

    @Test("the verdict: a beat exactly at the tolerance is healthy, a nanosecond later it is not")
    func verdictBoundary() {
        typealias Watchdog = ProgressWatchdog<ManualClock>
        let beats: [(name: String, state: HeartbeatState)] = [("ingest", .beat(at: .seconds(10))), ("store", .idle)]
        #expect(Watchdog.verdict(beats, now: .seconds(40), tolerance: .seconds(30)) == .healthy)
        #expect(Watchdog.verdict(beats, now: .seconds(40) + .nanoseconds(1), tolerance: .seconds(30)) == .stalled(["ingest"]))
        #expect(Watchdog.verdict([], now: .seconds(1000), tolerance: .seconds(30)) == .healthy)
        let stalled: [(name: String, state: HeartbeatState)] = [("store", .beat(at: .zero)), ("ingest", .beat(at: .zero)), ("x", .retired)]
        #expect(Watchdog.verdict(stalled, now: .seconds(31), tolerance: .seconds(30)) == .stalled(["ingest", "store"]))
    }

    @Test("run pings at once, then every half WATCHDOG_USEC, and stops when cancelled")
    func runPingsAtHalfPeriod() async throws {
        let directory = try TemporaryDirectory()
        let (watchdog, clock, listener) = try watchdog(settings: settings, directory: directory)
        let ingest = watchdog.heartbeat("ingest")
        let running = Task { await watchdog.run() }

        #expect(await listener.receive() == "WATCHDOG=1")
        try await eventually("the watchdog to sleep") { clock.sleeperCount == 1 }
        ingest.beat()
        clock.advance(by: .seconds(15) - .milliseconds(1))
        #expect(await listener.receive(within: 200) == nil)
        clock.advance(by: .milliseconds(1))
        #expect(await listener.receive() == "WATCHDOG=1")

        // The last beat was at 0 s: the ping at 30 s still goes, the one at 45 s is withheld.
        try await eventually("the watchdog to sleep again") { clock.sleeperCount == 1 }
        clock.advance(by: .seconds(15))
        #expect(await listener.receive() == "WATCHDOG=1")
        try await eventually("the watchdog to sleep once more") { clock.sleeperCount == 1 }
        clock.advance(by: .seconds(15))
        try await eventually("the check at 45 s") { clock.sleeperCount == 1 }
        #expect(await listener.receive(within: 200) == nil)

        running.cancel()
        await running.value
    }

    @Test("run on the real clock pings while a heartbeat moves")
    func runOnContinuousClock() async throws {
        let directory = try TemporaryDirectory()
        let listener = try DatagramListener(notifySocket: directory.file("notify"))
        let watchdog = ProgressWatchdog(
            environment: ["NOTIFY_SOCKET": listener.notifySocket, "WATCHDOG_USEC": "200000"],
            notifier: ServiceNotifier(environment: ["NOTIFY_SOCKET": listener.notifySocket]),
            logger: Logger(label: "test")
        )
        #expect(watchdog.settings?.pingInterval == .milliseconds(100))
        let ingest = watchdog.heartbeat("ingest")
        let beating = Task {
            while !Task.isCancelled {
                ingest.beat()
                try? await Task.sleep(for: .milliseconds(10))
            }
        }
        let running = Task { await watchdog.run() }
        for _ in 0..<3 {
            #expect(await listener.receive() == "WATCHDOG=1")
        }
        running.cancel()
        beating.cancel()
        await running.value
    }

    @Test("without WATCHDOG_USEC, run waits until it is cancelled")
    func runDisabled() async throws {
        let watchdog = ProgressWatchdog(environment: [:], notifier: ServiceNotifier(environment: [:]), logger: Logger(label: "test"))
        #expect(watchdog.settings == nil)
        let running = Task { await watchdog.run() }
        try await Task.sleep(for: .milliseconds(50))
        running.cancel()
        await running.value
    }
}
