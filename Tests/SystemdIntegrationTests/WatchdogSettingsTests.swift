import SystemdIntegration
import Testing

@Suite("WATCHDOG_USEC and WATCHDOG_PID")
struct WatchdogSettingsTests {
    @Test("WATCHDOG_USEC gives the timeout, and pings go out at half of it")
    func parsesTimeout() throws {
        let settings = try #require(WatchdogSettings(environment: ["WATCHDOG_USEC": "30000000"], processID: 42))
        #expect(settings.timeout == .seconds(30))
        #expect(settings.pingInterval == .seconds(15))
    }

    @Test("WATCHDOG_PID equal to our pid keeps the watchdog")
    func matchingPID() {
        #expect(WatchdogSettings(environment: ["WATCHDOG_USEC": "1000000", "WATCHDOG_PID": "42"], processID: 42) != nil)
    }

    @Test("WATCHDOG_PID naming another process means the watchdog is not ours")
    func otherPID() {
        #expect(WatchdogSettings(environment: ["WATCHDOG_USEC": "1000000", "WATCHDOG_PID": "43"], processID: 42) == nil)
        #expect(WatchdogSettings(environment: ["WATCHDOG_USEC": "1000000", "WATCHDOG_PID": "x"], processID: 42) == nil)
    }

    @Test("no watchdog when WATCHDOG_USEC is unset, zero or not a number", arguments: [nil, "0", "-5", "abc", ""])
    func noWatchdog(value: String?) {
        let environment = value.map { ["WATCHDOG_USEC": $0] } ?? [:]
        #expect(WatchdogSettings(environment: environment, processID: 42) == nil)
    }
}
