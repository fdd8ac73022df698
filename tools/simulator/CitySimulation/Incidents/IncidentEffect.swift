/// What an incident does to the readings its device would send: pure, like the models, so a reading
/// under an incident depends only on the seed, the device, the incident and the time.
extension Incident {
    /// Changes `readings` (the device's readings at `time`, without this incident) as this incident
    /// would; empties them when the device is silent. `interval` is the device's reporting period,
    /// which places a spike on exactly one report.
    func apply(to readings: inout [Reading], at time: SimulatedTime, model: CityModel, intervalMilliseconds interval: Int64) {
        if kind == .spike {
            // One report in every interval: the one in start ..< start + interval is the first.
            let elapsed = elapsed(at: time)
            if elapsed >= 0, elapsed < interval, !readings.isEmpty { readings[0].value *= 10 }
            return
        }
        guard isActive(at: time) else { return }
        let draw = Magnitudes(self, model: model)
        switch kind {
        case .nightLeak:
            change(.flow, in: &readings) { $0 + 3 + 2 * draw.unit(0) }
        case .binFire:
            let peak = 70 + 20 * draw.unit(0)
            let burning = Self.eased(Double(elapsed(at: time)) / 600_000)
            let flicker = draw.flicker(at: time)
            change(.temperature, in: &readings) { normal in normal + (peak - normal + flicker) * burning }
        case .pressureDrop:
            let drop = 1.5 + 0.5 * draw.unit(0)
            let falling = Self.eased(Double(elapsed(at: time)) / 60_000)
            change(.pressure, in: &readings) { max(0.2, $0 - drop * falling) }
        case .stuckMeter:
            // The value it read when it got stuck, exactly: a flatline, not a slow drift.
            let frozen = model.value(of: .flow, device: device, at: start) ?? 0
            change(.flow, in: &readings) { _ in frozen }
        case .failedLamp:
            change(.power, in: &readings) { _ in 0 }
        case .silentSensor:
            readings.removeAll()
        case .spike:
            break
        }
    }

    private func change(_ metric: Metric, in readings: inout [Reading], _ transform: (Double) -> Double) {
        for index in readings.indices where readings[index].metric == metric {
            readings[index].value = transform(readings[index].value)
        }
    }

    /// 0 at the start, 1 once `progress` reaches 1, smooth in between: a fire catches, then burns.
    private static func eased(_ progress: Double) -> Double {
        let clamped = Math.clamp(progress, 0...1)
        return clamped * clamped * (3 - 2 * clamped)
    }

    /// Seeded draws for one incident, keyed by device, kind and start: the same incident is as big on every run.
    private struct Magnitudes {
        let key: UInt64

        init(_ incident: Incident, model: CityModel) {
            let sensor = SensorIdentity(seed: model.seed, city: model.city, device: incident.device)
            key = Noise.key(sensor.key, Noise.label(incident.kind.rawValue), UInt64(bitPattern: incident.start.epochMilliseconds))
        }

        /// 0 ..< 1, fixed for the incident.
        func unit(_ salt: UInt64) -> Double {
            Noise.unit(Noise.key(key, salt))
        }

        /// -1 ... 1, changing from one reading to the next.
        func flicker(at time: SimulatedTime) -> Double {
            Noise.signed(Noise.key(key, 0xF1A3, UInt64(bitPattern: time.epochMilliseconds)))
        }
    }
}
