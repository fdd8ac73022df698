import MQTTClient
import Testing

@Suite("Reconnect backoff")
struct BackoffTests {
    let backoff = Backoff(minimum: .milliseconds(500), maximum: .seconds(30), jitter: 0.25)

    @Test("the delay doubles after each failure, from the minimum")
    func doubles() {
        #expect(backoff.delay(afterFailures: 1, random: 0.5) == .milliseconds(500))
        #expect(backoff.delay(afterFailures: 2, random: 0.5) == .seconds(1))
        #expect(backoff.delay(afterFailures: 3, random: 0.5) == .seconds(2))
    }

    @Test("the delay never exceeds the maximum, however many failures")
    func capped() {
        #expect(backoff.delay(afterFailures: 40, random: 0.999) == .seconds(30))
        #expect(backoff.delay(afterFailures: 1_000, random: 0.5) == .seconds(30))
    }

    @Test("jitter spreads the delay by a quarter either way")
    func jitter() {
        #expect(backoff.delay(afterFailures: 3, random: 0) == .milliseconds(1500))
        #expect(backoff.delay(afterFailures: 3, random: 1) == .milliseconds(2500))
    }
}
