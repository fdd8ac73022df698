import CitySimulation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The real wall clock, for the default simulated start ("now").
enum WallClock {
    static func now() -> SimulatedTime {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return SimulatedTime(epochMilliseconds: Int64(spec.tv_sec) * 1_000 + Int64(spec.tv_nsec) / 1_000_000)
    }
}

/// A line on standard output, written at once: `print` is block-buffered into a pipe or a journal,
/// where the start line would then only show up at exit.
func printLine(_ line: String) {
    writeLine(line, to: STDOUT_FILENO)
}

/// A line on standard error, for what went wrong.
func printError(_ line: String) {
    writeLine(line, to: STDERR_FILENO)
}

private func writeLine(_ line: String, to descriptor: Int32) {
    writeAll(Array((line + "\n").utf8), to: descriptor)
}

// write(2) rather than the C `stdout`/`stderr` globals, which strict concurrency rightly distrusts.
func writeAll(_ bytes: [UInt8], to descriptor: Int32) {
    var offset = 0
    while offset < bytes.count {
        let written = bytes[offset...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        if written < 0, errno == EINTR { continue }
        guard written > 0 else { return }
        offset += written
    }
}
