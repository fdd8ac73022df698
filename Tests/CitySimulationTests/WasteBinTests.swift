import CitySimulation
import Testing

@Suite("Waste bins fill up and are emptied")
struct WasteBinTests {
    static func hourlyFill(of bin: Device, days: Int, seed: UInt64 = 42) -> [Double] {
        let model = CityModel(city: .fes, seed: seed)
        let start = SimulatedTime.local(.fes, year: 2026, month: 11, day: 20)
        return (0..<days * 24).map { model.value(of: .fill, device: bin, at: start.adding(hours: $0))! }
    }

    @Test("fill rises between collections, then drops to about 5 % when the bin is emptied")
    func risesThenDrops() {
        for number in 1...10 {
            let fill = Self.hourlyFill(of: Device(.waste, number: number), days: 8)
            let drops = zip(fill, fill.dropFirst()).enumerated().filter { $1.0 - $1.1 > 10 }.map(\.offset)
            #expect(!drops.isEmpty, "bin \(number) was never emptied: \(fill)")
            for drop in drops {
                #expect(fill[drop + 1] < 10, "bin \(number) after emptying")
            }
            // Between collections the level only rises (sensor noise aside).
            let steps = zip(fill, fill.dropFirst()).enumerated().filter { !drops.contains($0.offset) }.map { $1.1 - $1.0 }
            #expect(steps.allSatisfy { $0 > -1 }, "bin \(number)")
            // And it rises substantially before the truck comes.
            for drop in drops where drop >= 20 {
                #expect(fill[drop] > 25, "bin \(number) before emptying")
            }
        }
    }

    @Test("bins fill faster in the afternoon than at night")
    func afternoonIsBusier() {
        let model = CityModel(city: .tunis, seed: 2)
        var afternoon = 0.0
        var night = 0.0
        for number in 1...10 {
            let bin = Device(.waste, number: number)
            let value = { (hour: Int) in model.value(of: .fill, device: bin, at: .local(.tunis, year: 2026, month: 11, day: 25, hour: hour))! }
            // Both spans lie between two collections (trucks pass from 05:00 to 08:00).
            afternoon += (value(16) - value(12)) / 4
            night += (value(3) - value(0)) / 3
        }
        #expect(afternoon > 2 * night)
    }

    @Test("bin temperature stays near the air's")
    func temperature() {
        let model = CityModel(city: .alexandria, seed: 4)
        for hour in stride(from: 0, to: 24, by: 3) {
            let time = SimulatedTime.local(.alexandria, year: 2026, month: 7, day: 15, hour: hour)
            let value = model.value(of: .temperature, device: Device(.waste, number: 1), at: time)!
            #expect((15.0...45.0).contains(value))
        }
    }
}
