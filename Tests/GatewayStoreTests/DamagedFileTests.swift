// Contract checked here: a buffer file that is garbage or truncated is reported as damaged (not as
// any other failure to open), and can be moved aside with its WAL so a fresh buffer opens in its place.
import Foundation
import GatewayCore
import TestSupport
import Testing
@testable import GatewayStore

@Suite("A damaged buffer file")
struct DamagedFileTests {
    func isCorrupt(_ error: any Error) -> Bool {
        if case StoreError.corrupt = error { return true }
        return false
    }

    @Test("garbage where the database should be is damaged, and moving it aside lets a fresh buffer open")
    func garbage() throws {
        let directory = try TemporaryDirectory()
        let settings = storeSettings(in: directory)
        try Data((0..<64 * 1024).map { UInt8(truncatingIfNeeded: $0 &* 7919) }).write(to: URL(fileURLWithPath: settings.path))
        #expect(performing: { try BufferWriter(settings: settings, logger: quietLogger) }, throws: isCorrupt)
        let movedTo = try DamagedFile.moveAside(settings.path, at: Timestamp(milliseconds: 1_764_115_200_000))
        #expect(movedTo.hasSuffix(".damaged-2025-11-26T000000.000Z"))
        #expect(DamagedFile.movedAside(near: settings.path) == [movedTo])
        let writer = try BufferWriter(settings: settings, logger: quietLogger)
        try writer.commit(readings: [reading("fes/water/m1", at: 1_000, 1)])
        try writer.close()
    }

    @Test("a file cut short after a crash is damaged")
    func truncated() throws {
        let directory = try TemporaryDirectory()
        let settings = storeSettings(in: directory)
        let writer = try BufferWriter(settings: settings, logger: quietLogger)
        for group in 0..<20 {
            try writer.commit(readings: batch(sensors: 500, start: Int64(group) * 1_000))
        }
        try writer.close()
        let size = fileSize(settings.path)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: settings.path))
        try handle.truncate(atOffset: UInt64(size / 3))
        try handle.close()
        #expect(performing: { try BufferWriter(settings: settings, logger: quietLogger) }, throws: isCorrupt)
    }
}
