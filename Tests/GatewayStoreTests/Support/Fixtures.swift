import Foundation
import GatewayCore
import GatewayStore
import InMemoryLogging
import Logging
import TestSupport

/// A reading with the parts a test cares about spelled out.
func reading(_ sensor: String, _ metric: String = "flow", at milliseconds: Int64, _ value: Double) -> Reading {
    Reading(sensor: sensor, metric: metric, time: Timestamp(milliseconds: milliseconds), value: value)
}

/// A batch as the MQTT loop would hand it over: `sensors` sensors, each with one reading per
/// millisecond step starting at `start`.
func batch(sensors: Int, steps: Int = 1, start: Int64, sensorPrefix: String = "fes/water/meter-") -> [Reading] {
    var readings: [Reading] = []
    readings.reserveCapacity(sensors * steps)
    for step in 0..<steps {
        for sensor in 0..<sensors {
            readings.append(reading("\(sensorPrefix)\(sensor)", at: start + Int64(step), Double(sensor) + Double(step) / 10))
        }
    }
    return readings
}

func deadLetter(reason: String, at milliseconds: Int64 = 1_000, payload: [UInt8] = Array("{\"value\": oops}".utf8)) -> DeadLetter {
    DeadLetter(
        at: Timestamp(milliseconds: milliseconds), source: "local", topic: "city/fes/water/m1/flow",
        reason: reason, detail: "no number at value", payload: payload
    )
}

let quietLogger = Logger(label: "test.buffer") { _ in SwiftLogNoOpLogHandler() }

/// Settings for a database in `directory`, with test-friendly defaults.
func storeSettings(
    in directory: TemporaryDirectory,
    sync: SyncMode = .normal,
    maxSize: Int64 = 64 << 20,
    retention: Duration = .seconds(14 * 86_400),
    deadLetterLimit: Int = 100
) -> StoreSettings {
    StoreSettings(
        path: directory.file("buffer.sqlite"), sync: sync, maxSize: maxSize, retention: retention,
        deadLetterLimit: deadLetterLimit, statsFlushInterval: .seconds(10)
    )
}

/// Every stored reading, in export order.
func exportAll(_ reader: BufferReader) throws -> [Reading] {
    var readings: [Reading] = []
    try reader.export(since: Timestamp(milliseconds: .min)) { readings.append($0) }
    return readings
}

/// The database file plus its WAL: what `max_size` bounds.
func diskBytes(_ settings: StoreSettings) -> Int64 {
    fileSize(settings.path) + fileSize(settings.path + "-wal")
}

/// Copies the database and its WAL as they are while the writer is open: the files a SIGKILL
/// leaves behind.
func copyAsKilled(_ settings: StoreSettings, to path: String) throws {
    for suffix in ["", "-wal"] {
        try FileManager.default.copyItem(atPath: settings.path + suffix, toPath: path + suffix)
    }
}

/// A logger that keeps what it is given, and the handler to read it back from.
func recordingLogger() -> (Logger, InMemoryLogHandler) {
    let handler = InMemoryLogHandler()
    return (Logger(label: "test.buffer") { _ in handler }, handler)
}
