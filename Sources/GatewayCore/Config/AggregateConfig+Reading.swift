extension AggregateConfig {
    static let day: Duration = .seconds(86_400)

    static func read(_ table: TableReader) -> AggregateConfig {
        var table = table
        var aggregate = AggregateConfig()
        table.read("window", windowSpec, into: &aggregate.window)
        table.read("grace", .duration(atLeast: .zero, example: "10s"), into: &aggregate.grace)
        if table.areValid("window", "grace"), aggregate.grace >= aggregate.window {
            table.reject(
                "grace", got: tomlQuoted(DurationText.format(aggregate.grace)),
                expected: "less than the window (\(DurationText.format(aggregate.window)))")
        }
        table.finish()
        return aggregate
    }

    /// Whole seconds (the uplink's `window_s` is an integer), at least 1s, dividing a day, so windows
    /// align to the clock the same way every day.
    private static var windowSpec: ValueSpec<Duration> {
        ValueSpec.duration(atLeast: .seconds(1), example: "1m").checked { window in
            let milliseconds = DurationText.milliseconds(of: window)
            let divides = window == .milliseconds(milliseconds) && milliseconds % 1000 == 0
                && DurationText.milliseconds(of: day) % milliseconds == 0
            return divides ? nil : "whole seconds that divide 24h evenly, like 1m, 5m, 15m or 1h"
        }
    }
}
