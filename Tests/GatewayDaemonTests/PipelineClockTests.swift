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

    @Test("when nothing arrives for a while, the readings' time runs on at the wall clock's pace")
    func idle() {
        var clock = clock()
        clock.observe(at(-hour), wall: wall)
        #expect(clock.now(wall: at(24_000)) == at(-hour))
        #expect(clock.now(wall: at(25_000)) == at(-hour + 25_000))
        #expect(clock.now(wall: at(600_000)) == at(-hour + 600_000))
    }

    @Test("readings that stay an hour behind keep their time through every lull, never the wall clock's")
    func lagForGood() {
        var clock = clock()
        for minute: Int64 in 0..<5 {
            clock.observe(at(-hour + minute * 60_000), wall: at(minute * 60_000))
            #expect(clock.now(wall: at(minute * 60_000 + 59_000)) == at(-hour + minute * 60_000 + 59_000))
        }
    }

    @Test("once readings are recent again, the wall clock is in charge, through quiet spells too")
    func backToLive() {
        var clock = clock()
        clock.observe(at(-hour), wall: wall)
        clock.observe(at(29_000), wall: at(30_000))
        #expect(clock.now(wall: at(30_000)) == at(30_000))
        #expect(clock.now(wall: at(30_000 + hour)) == at(30_000 + hour))
    }

    @Test("activity without a reading holds the backlog's time, as a batch does")
    func touch() {
        var clock = clock()
        clock.observe(at(-hour), wall: wall)
        clock.touch(wall: at(20_000))
        #expect(clock.now(wall: at(40_000)) == at(-hour))
        #expect(clock.now(wall: at(45_000)) == at(-hour + 45_000))
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
