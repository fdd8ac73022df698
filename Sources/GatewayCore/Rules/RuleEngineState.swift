/// What a `RuleEngine` needs to carry on after a restart: active alerts and, for each series whose
/// rules look back (rate, flatline, silent, outlier, or a hold in progress), its newest reading.
///
/// Saved as a compact binary snapshot (`snapshot()`, `init(snapshot:)`, laid out in
/// `RuleStateSnapshot`): series are grouped by sensor, times are epoch milliseconds, and only what
/// differs from a fresh start is kept. Rules are named, not numbered, so the state survives rules
/// being added, removed or reordered in the config.
public struct RuleEngineState: Sendable, Equatable {
    /// Raised and not yet cleared, oldest first.
    public internal(set) var activeAlerts: [AlertEvent]
    var sensors: [SensorHistory]

    /// A fresh start: no alerts, no history.
    public static let empty = RuleEngineState(activeAlerts: [], sensors: [])

    init(activeAlerts: [AlertEvent], sensors: [SensorHistory]) {
        self.activeAlerts = activeAlerts
        self.sensors = sensors
    }
}

/// The series of one sensor that have history worth keeping.
struct SensorHistory: Sendable, Equatable {
    var sensor: String
    var series: [SeriesHistory]
}

/// One series' newest reading, and the rules' memory of it.
struct SeriesHistory: Sendable, Equatable {
    var metric: String
    /// The newest reading: epoch ms and value.
    var time: Int64
    var value: Double
    /// When the value began to repeat unchanged; absent when the newest value is not a repeat.
    var steadySince: Int64?
    /// Rule name → since when (epoch ms) its condition holds without a raise yet.
    var held: [String: Int64]?
    /// Outlier rule name → its window.
    var windows: [String: SavedWindow]?
}
