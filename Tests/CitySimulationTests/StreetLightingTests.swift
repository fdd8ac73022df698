import CitySimulation
import Testing

@Suite("Street lamps are lit from dusk to dawn")
struct StreetLightingTests {
    static let seasons = [(month: 12, day: 21), (month: 6, day: 21), (month: 3, day: 20), (month: 9, day: 23)]

    @Test("lamps draw power at 23:00 and only standby at 13:00, in winter and in summer", arguments: City.allCases)
    func litAtNight(city: City) throws {
        let model = CityModel(city: city, seed: 42)
        for season in Self.seasons {
            for number in 1...20 {
                let lamp = Device(.lighting, number: number)
                let night = try #require(model.value(of: .power, device: lamp, at: .local(city, year: 2026, month: season.month, day: season.day, hour: 23)))
                let noon = try #require(model.value(of: .power, device: lamp, at: .local(city, year: 2026, month: season.month, day: season.day, hour: 13)))
                #expect(night > 20, "\(lamp.name) \(season)")
                #expect(noon < 1, "\(lamp.name) \(season)")
            }
        }
    }

    @Test("lamps are dimmed in the small hours")
    func dimming() throws {
        let model = CityModel(city: .fes, seed: 1)
        let lamp = Device(.lighting, number: 1)
        let evening = try #require(model.value(of: .power, device: lamp, at: .local(.fes, year: 2026, month: 11, day: 26, hour: 22)))
        let smallHours = try #require(model.value(of: .power, device: lamp, at: .local(.fes, year: 2026, month: 11, day: 27, hour: 3)))
        #expect(smallHours < 0.7 * evening)
        #expect(smallHours > 0.5 * evening)
    }

    @Test("sunset and sunrise follow the latitude and the season")
    func sunTimes() {
        // Tunis: about 9 h 50 of day at the winter solstice, 14 h 30 at the summer one.
        let winter = SunTimes(city: .tunis, dayOfYear: 355)
        let summer = SunTimes(city: .tunis, dayOfYear: 172)
        #expect(abs(winter.dayLength - 9.8) < 0.3)
        #expect(abs(summer.dayLength - 14.5) < 0.3)
        // Fès, clocks at UTC+1: sunset about 18:20 in December, 20:30 in June.
        #expect(abs(SunTimes(city: .fes, dayOfYear: 355).sunset - 18.3) < 0.3)
        #expect(abs(SunTimes(city: .fes, dayOfYear: 172).sunset - 20.5) < 0.3)
        // Further south, the days vary less.
        #expect(SunTimes(city: .alexandria, dayOfYear: 172).dayLength < summer.dayLength)
        #expect(SunTimes(city: .alexandria, dayOfYear: 355).dayLength > winter.dayLength)
    }

    @Test("a lamp switches on once around sunset and off once around sunrise")
    func oneSwitchEachWay() {
        let model = CityModel(city: .alexandria, seed: 8)
        let lamp = Device(.lighting, number: 4)
        let start = SimulatedTime.local(.alexandria, year: 2026, month: 4, day: 15, hour: 12)
        let lit = (0..<24 * 60).map { minute in
            (model.value(of: .power, device: lamp, at: start.adding(milliseconds: Int64(minute) * 60_000)) ?? 0) > 5
        }
        let switches = zip(lit, lit.dropFirst()).filter { $0 != $1 }.count
        #expect(switches == 2)
        #expect(lit.first == false)
        #expect(lit[12 * 60] == true)
    }
}
