import CitySimulation
import Testing

@Suite("The pacer maps simulated time to real time and caps the rate")
struct PacerTests {
    let start = SimulatedTime(year: 2026, month: 11, day: 26)

    @Test("at speed 1 a message goes when its simulated time comes; at 3600 a day takes 24 seconds")
    func speed() {
        let realTime = Pacer(start: start, speed: 1, rate: 0)
        #expect(realTime.releaseTime(of: start) == .zero)
        #expect(realTime.releaseTime(of: start.adding(milliseconds: 5_000)) == .seconds(5))
        let fast = Pacer(start: start, speed: 3_600, rate: 0)
        #expect(fast.releaseTime(of: start.adding(hours: 24)) == .seconds(24))
        let untied = Pacer(start: start, speed: 0, rate: 0)
        #expect(untied.releaseTime(of: start.adding(hours: 24)) == .zero)
    }

    @Test("the rate spaces messages evenly")
    func rate() {
        var pacer = Pacer(start: start, speed: 0, rate: 100)
        var now = Duration.zero
        for _ in 0..<50 {
            now = max(now, pacer.releaseTime(of: start))
            pacer.didSend(at: now)
        }
        #expect(now == .milliseconds(490))
    }

    @Test("after a pause the rate catches up with a short burst only")
    func catchUp() {
        var pacer = Pacer(start: start, speed: 0, rate: 100, catchUp: .milliseconds(50))
        pacer.didSend(at: .zero)
        // Nothing sent for 10 s: the message due now, then at most 50 ms worth (5 more) at once.
        let now = Duration.seconds(10)
        var burst = 0
        while pacer.releaseTime(of: start) <= now {
            pacer.didSend(at: now)
            burst += 1
        }
        #expect(burst == 6)
    }

    @Test("the later of the two limits wins")
    func laterWins() {
        var pacer = Pacer(start: start, speed: 1, rate: 1)
        pacer.didSend(at: .zero)
        #expect(pacer.releaseTime(of: start) == .seconds(1))
        #expect(pacer.releaseTime(of: start.adding(milliseconds: 3_000)) == .seconds(3))
    }
}
