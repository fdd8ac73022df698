/// A waste bin with a fill-level sensor: it fills through the day (faster in the afternoon, at a rate
/// that differs from one collection cycle to the next) and drops to about 5 % when the truck empties
/// it on its round, every one, two or three days in the early morning. Now and then a round misses
/// a bin, which then keeps filling, up to 100 %.
///
/// The level is computed from the last collection, not accumulated step by step, so any time can be
/// asked for directly.
struct WasteBinModel: Sendable {
    let sensor: SensorIdentity
    /// Days between collections.
    let period: Int64
    /// Which days of the period the truck comes.
    let phase: Int64
    /// Local hour of the truck's pass.
    let collectionHour: Double
    /// The fill reached by the next collection on an average cycle, in % of the bin.
    let usualFillPerCycle: Double
    /// What stays in the bin after emptying, %.
    let residue: Double
    /// 0 in the shade, 1 in full sun: sun warms a bin well above the air.
    let sunExposure: Double
    let temperatureOffset: Double

    /// Chance that a scheduled collection is missed.
    static let missedCollectionChance = 0.04
    /// How much busier the afternoon is than the average hour (and the night quieter).
    static let activitySwing = 0.7

    init(_ sensor: SensorIdentity) {
        self.sensor = sensor
        var traits = sensor.traits()
        period = traits.pick([(1, weight: 0.4), (2, weight: 0.45), (3, weight: 0.15)])
        phase = Int64(traits.unit() * Double(period))
        collectionHour = traits.uniform(5...8)
        usualFillPerCycle = traits.uniform(60...95)
        residue = traits.uniform(3...7)
        sunExposure = traits.uniform(0.2...1)
        temperatureOffset = traits.uniform(-0.7...0.7)
    }

    func values(at clock: LocalClock, time: SimulatedTime, city: City) -> [(Metric, Double)] {
        let emptied = lastCollectionDay(before: clock)
        let emptiedAt = Double(emptied) * 24 + collectionHour
        let cycleFactor = 0.7 + 0.6 * Noise.unit(Noise.key(sensor.key, 0xC1C1E, UInt64(bitPattern: emptied)))
        let ratePerActiveHour = usualFillPerCycle * cycleFactor / Double(period * 24)
        let added = ratePerActiveHour * (Self.activity(clock.hoursSinceEpoch) - Self.activity(emptiedAt))
        let fill = Math.clamp(residue + added + 0.4 * sensor.jitter(.fill, at: time), 0...100)

        let sun = SunTimes(city: city, dayOfYear: clock.dayOfYear).sunshine(at: clock.hour)
        let temperature = city.climate.temperature(at: clock, sensor: sensor) + temperatureOffset
            + 4 * sunExposure * sun + 0.1 * sensor.jitter(.temperature, at: time)
        return [(.fill, fill), (.temperature, temperature)]
    }

    /// The local day of the last collection that happened at or before `clock`.
    func lastCollectionDay(before clock: LocalClock) -> Int64 {
        var day = clock.hour >= collectionHour ? clock.day : clock.day - 1
        // Bounded: a bin is not missed ten rounds in a row in any realistic seed.
        for _ in 0..<(10 * period) {
            if isCollected(day) { return day }
            day -= 1
        }
        return day
    }

    func isCollected(_ day: Int64) -> Bool {
        guard (day + phase) % period == 0 else { return false }
        let draw = Noise.unit(Noise.key(sensor.key, 0x5C1B, UInt64(bitPattern: day)))
        return draw >= Self.missedCollectionChance
    }

    /// Hours of "average use" since the epoch: grows faster in the afternoon than at night, always forward.
    /// Its rate is 1 + swing · cos(2π (h − 14) / 24), peaking at 14:00.
    static func activity(_ hours: Double) -> Double {
        hours + activitySwing * 24 / (2 * Math.pi) * Math.sin(2 * Math.pi * (hours - 14) / 24)
    }
}
