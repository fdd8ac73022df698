import CitySimulation
import Testing

@Suite("Water meters follow the town's demand")
struct WaterNetworkTests {
    @Test("flow at 03:00 is lower than at 08:00 and at 20:00, every day of a week, in every city", arguments: City.allCases)
    func nightMinimum(city: City) throws {
        let model = CityModel(city: city, seed: 42)
        for number in 1...6 {
            let meter = Device(.water, number: number)
            for day in 23...29 {
                let night = try #require(model.value(of: .flow, device: meter, at: .local(city, year: 2026, month: 11, day: day, hour: 3)))
                let morning = try #require(model.value(of: .flow, device: meter, at: .local(city, year: 2026, month: 11, day: day, hour: 8)))
                let evening = try #require(model.value(of: .flow, device: meter, at: .local(city, year: 2026, month: 11, day: day, hour: 20)))
                #expect(night > 0)
                #expect(night < morning, "\(meter.name) on day \(day)")
                #expect(night < evening, "\(meter.name) on day \(day)")
            }
        }
    }

    @Test("the lowest flow of a day falls between 01:00 and 05:00")
    func minimumHour() {
        let model = CityModel(city: .fes, seed: 3)
        let meter = Device(.water, number: 2)
        let day = (0..<24 * 4).map { quarter in
            let time = SimulatedTime.local(.fes, year: 2026, month: 6, day: 10).adding(milliseconds: Int64(quarter) * 900_000)
            return (hour: Double(quarter) / 4, flow: model.value(of: .flow, device: meter, at: time) ?? 0)
        }
        let lowest = day.min { $0.flow < $1.flow }!
        #expect((1.0...5.0).contains(lowest.hour))
    }

    @Test("pressure stays between 3 and 5 bar and is lower at the morning peak than at night")
    func pressure() throws {
        let model = CityModel(city: .tunis, seed: 42)
        for number in 1...10 {
            let meter = Device(.water, number: number)
            var pressures: [Double] = []
            for hour in 0..<24 {
                let time = SimulatedTime.local(.tunis, year: 2026, month: 11, day: 24, hour: hour)
                pressures.append(try #require(model.value(of: .pressure, device: meter, at: time)))
            }
            #expect(pressures.allSatisfy { (3.0...5.0).contains($0) }, "\(pressures)")
            #expect(pressures[3] > pressures[8])
        }
    }

    @Test("flow changes smoothly from one reading to the next")
    func smooth() {
        let model = CityModel(city: .alexandria, seed: 5)
        let meter = Device(.water, number: 1)
        let start = SimulatedTime.local(.alexandria, year: 2026, month: 11, day: 26, hour: 10)
        let flows = (0..<120).map { model.value(of: .flow, device: meter, at: start.adding(milliseconds: Int64($0) * 5_000))! }
        let mean = flows.reduce(0, +) / Double(flows.count)
        let largestStep = zip(flows, flows.dropFirst()).map { abs($0 - $1) }.max()!
        #expect(largestStep < 0.08 * mean)
    }
}
