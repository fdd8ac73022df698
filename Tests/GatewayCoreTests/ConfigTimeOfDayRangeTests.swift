import Testing

@testable import GatewayCore

@Suite("Time ranges of rules")
struct ConfigTimeOfDayRangeTests {
    @Test("a range within a day includes its start and not its end")
    func withinADay() throws {
        let range = try #require(TimeOfDayRange(parsing: "01:00-05:00"))
        #expect(range.startMinute == 60)
        #expect(range.endMinute == 300)
        #expect(!range.crossesMidnight)
        #expect(range.contains(minuteOfDay: 60))
        #expect(range.contains(minuteOfDay: 299))
        #expect(!range.contains(minuteOfDay: 300))
        #expect(!range.contains(minuteOfDay: 59))
    }

    @Test("a range whose end comes first crosses midnight")
    func acrossMidnight() throws {
        let night = try #require(TimeOfDayRange(parsing: "22:00-06:00"))
        #expect(night.crossesMidnight)
        #expect(night.contains(minuteOfDay: 23 * 60))
        #expect(night.contains(minuteOfDay: 0))
        #expect(night.contains(minuteOfDay: 5 * 60 + 59))
        #expect(!night.contains(minuteOfDay: 6 * 60))
        #expect(!night.contains(minuteOfDay: 12 * 60))
    }

    @Test("the description reads back as the same range")
    func roundTrip() {
        #expect(TimeOfDayRange(parsing: "00:05-23:59")?.description == "00:05-23:59")
    }

    @Test(
        "anything but HH:MM-HH:MM with different ends is refused",
        arguments: ["", "01:00", "01:00-01:00", "1:00-05:00", "01:00-24:00", "01:60-02:00", "01:00 - 05:00", "01.00-05.00", "01:00-05:00-06:00"])
    func rejects(text: String) {
        #expect(TimeOfDayRange(parsing: text) == nil)
    }
}
