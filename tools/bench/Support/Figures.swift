import Glibc
import TestSupport

/// What every benchmark needs to report and to stop what it started.
public func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

public func milliseconds(_ duration: Duration) -> Double {
    seconds(duration) * 1000
}

public func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted.isEmpty ? 0 : sorted[sorted.count / 2]
}

/// One line for `run-all.sh`'s table: benchmark, figure, value, target, verdict, tab-separated.
public func printResult(_ benchmark: String, _ figure: String, _ value: String, _ target: String, _ verdict: String) {
    print(["RESULT", benchmark, figure, value, target, verdict].joined(separator: "\t"))
}

/// SIGTERM, then up to a minute for a graceful stop, then SIGKILL: a stop that hangs must not
/// hang the benchmark.
public func stop(_ process: ChildProcess) {
    process.signal(SIGTERM)
    let deadline = ContinuousClock.now + .seconds(60)
    while process.isRunning && ContinuousClock.now < deadline {
        usleep(10_000)
    }
    process.signal(SIGKILL)
    process.wait()
}
