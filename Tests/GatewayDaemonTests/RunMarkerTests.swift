// Contract checked here: the daemon's marker reads as running (with its pid and start) from any
// other open file while it is held; a released marker, or one left behind by a process that died,
// reads as stopped; a second daemon on the same data directory is refused with a message naming
// the first one's pid and the directory.
import Foundation
import GatewayCore
import Glibc
import Testing
@testable import GatewayDaemon

@Suite("The daemon's run marker")
struct RunMarkerTests {
    /// A fresh data directory, removed when `body` returns.
    func withDataDirectory(_ body: (String) throws -> Void) throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("streetgate-marker-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: path) }
        try body(path)
    }

    @Test("a held marker reads as running, with this process's pid and the start time")
    func heldReadsAsRunning() throws {
        try withDataDirectory { dataDir in
            let started = Timestamp(milliseconds: 1_764_118_800_123)
            let marker = try RunMarker.acquire(dataDir: dataDir, startedAt: started)
            #expect(RunMarker.inspect(dataDir: dataDir) == .running(pid: getpid(), startedAt: started))
            let text = try String(contentsOfFile: marker.path, encoding: .utf8)
            #expect(text == "\(getpid()) 1764118800123\n")
            var info = stat()
            #expect(stat(marker.path, &info) == 0)
            #expect(info.st_mode & 0o777 == 0o640)
            marker.release()
        }
    }

    @Test("a second acquire is refused, naming the running pid and the data_dir")
    func secondAcquireFails() throws {
        try withDataDirectory { dataDir in
            let marker = try RunMarker.acquire(dataDir: dataDir, startedAt: Timestamp(milliseconds: 1))
            #expect(throws: RunMarkerError.alreadyRunning(pid: getpid(), dataDir: dataDir)) {
                try RunMarker.acquire(dataDir: dataDir, startedAt: Timestamp(milliseconds: 2))
            }
            let message = RunMarkerError.alreadyRunning(pid: getpid(), dataDir: dataDir).description
            #expect(message == "another streetgate (pid \(getpid())) is running with data_dir \(dataDir)")
            // The refused attempt left the first marker as it was.
            #expect(RunMarker.inspect(dataDir: dataDir) == .running(pid: getpid(), startedAt: Timestamp(milliseconds: 1)))
            marker.release()
        }
    }

    @Test("a released marker is removed and reads as stopped; the next daemon acquires it")
    func releasedReadsAsStopped() throws {
        try withDataDirectory { dataDir in
            let first = try RunMarker.acquire(dataDir: dataDir, startedAt: Timestamp(milliseconds: 1))
            first.release()
            first.release()
            #expect(!FileManager.default.fileExists(atPath: first.path))
            #expect(RunMarker.inspect(dataDir: dataDir) == .stopped)
            let second = try RunMarker.acquire(dataDir: dataDir, startedAt: Timestamp(milliseconds: 2))
            #expect(RunMarker.inspect(dataDir: dataDir) == .running(pid: getpid(), startedAt: Timestamp(milliseconds: 2)))
            second.release()
        }
    }

    @Test("a file left behind by a daemon that died reads as stopped, and is taken over")
    func staleFileReadsAsStopped() throws {
        try withDataDirectory { dataDir in
            let path = RunMarker.path(dataDir: dataDir)
            try "4194303 1000\n".write(toFile: path, atomically: true, encoding: .utf8)
            #expect(RunMarker.inspect(dataDir: dataDir) == .stopped)
            let marker = try RunMarker.acquire(dataDir: dataDir, startedAt: Timestamp(milliseconds: 5))
            #expect(try String(contentsOfFile: path, encoding: .utf8) == "\(getpid()) 5\n")
            marker.release()
        }
    }

    @Test("a marker dropped without release (the process ended) reads as stopped")
    func droppedReadsAsStopped() throws {
        try withDataDirectory { dataDir in
            do {
                _ = try RunMarker.acquire(dataDir: dataDir, startedAt: Timestamp(milliseconds: 1))
            }
            #expect(FileManager.default.fileExists(atPath: RunMarker.path(dataDir: dataDir)))
            #expect(RunMarker.inspect(dataDir: dataDir) == .stopped)
        }
    }

    @Test("a data directory that does not exist reads as stopped")
    func missingDirectory() {
        #expect(RunMarker.inspect(dataDir: "/nonexistent/streetgate") == .stopped)
    }
}
