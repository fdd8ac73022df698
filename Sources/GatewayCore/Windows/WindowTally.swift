/// The running summary of one window of one series: everything an aggregate needs and nothing
/// more: 48 bytes per series in each open window (`OpenWindow` keeps them side by side).
///
/// `sum` is a plain Double sum. Sensor values carry three or four significant digits, and a window
/// holds at most thousands of readings, so the rounding error (about count × 1e-16 relative) is far
/// below what the sensors resolve; compensated (Kahan) summation would cost a field and two
/// operations per reading for digits nobody can use.
struct WindowTally: Sendable, Hashable {
    var count = 0
    var min = Double.infinity
    var max = -Double.infinity
    var sum = 0.0
    var last = 0.0
    var lastTime = Int64.min

    init() {}

    init(_ aggregate: Aggregate) {
        count = aggregate.count
        min = aggregate.min
        max = aggregate.max
        sum = aggregate.sum
        last = aggregate.last
        lastTime = aggregate.lastTime.milliseconds
    }

    /// Readings are added in arrival order, so `>=` lets the later arrival win a tie on time.
    mutating func add(_ reading: Reading) {
        let value = reading.value
        count += 1
        if value < min { min = value }
        if value > max { max = value }
        sum += value
        if reading.time.milliseconds >= lastTime {
            last = value
            lastTime = reading.time.milliseconds
        }
    }
}
