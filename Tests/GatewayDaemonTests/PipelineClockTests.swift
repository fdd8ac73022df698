import GatewayCore
@testable import GatewayDaemon
import Testing

@Suite("The pipeline's clock")
struct PipelineClockTests {
    let hour: Int64 = 3_600_000
    let wall = Timestamp(milliseconds: 1_764_165_600_000)

    func clock() -> PipelineClock {
        PipelineClock(window: .seconds(60), grace: .seconds(10), idleAfter: .seconds(25))
    }

    func at(_ offset: Int64) -> Timestamp {
        Timestamp(milliseconds: wall.milliseconds + offset)
    }

    @Test("live readings leave the wall clock in charge")
    func live() {
        var clock = clock()
        clock.observe(at(-2_000), wall: wall)
        #expect(clock.now(wall: wall) == wall)
    }

    @Test("while an hour-old backlog drains, time is the latest reading's")
    func backlog() {
        var clock = clock()
        clock.observe(at(-hour), wall: wall)
        #expect(clock.now(wall: wall) == at(-hour))
        clock.observe(at(-hour + 30_000), wall: at(1_000))
        #expect(clock.now(wall: at(1_000)) == at(-hour + 30_000))
    }

    @Test("once the backlog is drained or nothing arrives for a while, the wall clock takes over")
    func idle() {
        var clock = clock()
        clock.observe(at(-hour), wall: wall)
        #expect(clock.now(wall: at(24_000)) == at(-hour))
        #expect(clock.now(wall: at(25_000)) == at(25_000))
    }

    @Test("a reading from the future never moves time past the wall clock")
    func future() {
        var clock = clock()
        clock.observe(at(-hour), wall: wall)
        clock.observe(at(hour), wall: wall)
        #expect(clock.eventTime == wall)
        #expect(clock.now(wall: wall) == wall)
    }
}
