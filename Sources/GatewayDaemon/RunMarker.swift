import GatewayCore
import Glibc
import Synchronization

/// `<data_dir>/streetgate.pid`: which daemon runs with a data directory and since when, and the
/// guard that keeps a second daemon off the same buffer.
///
/// The daemon holds an exclusive `flock(2)` on the file for its whole life. The kernel drops the
/// lock when the process ends, however it ends, so a file left behind by a SIGKILL or a power cut
/// never reads as running: what counts is the lock, not the file. `inspect` asks for a shared lock
/// without waiting; a refusal means a daemon holds it, and the file's one line says which:
/// `PID STARTED_MS\n`. Inspecting needs read access only, so `streetgate status` works for any
/// user who may read the data directory.
///
/// Keep the value alive for the life of the process: its descriptor holds the lock.
public final class RunMarker: Sendable {
    public static let fileName = "streetgate.pid"

    public let path: String
    public let pid: Int32
    public let startedAt: Timestamp
    // Invariant: the open descriptor, or -1 once released; read and changed only under the lock.
    private let descriptor: Mutex<Int32>

    private init(path: String, descriptor: Int32, pid: Int32, startedAt: Timestamp) {
        self.path = path
        self.pid = pid
        self.startedAt = startedAt
        self.descriptor = Mutex(descriptor)
    }

    deinit {
        descriptor.withLock { fd in
            if fd >= 0 { close(fd) }
        }
    }

    public static func path(dataDir: String) -> String {
        dataDir.hasSuffix("/") ? dataDir + fileName : dataDir + "/" + fileName
    }

    /// Marks this process as the daemon of `dataDir`: creates the file (mode 0640) if needed, locks
    /// it and writes `PID STARTED_MS`.
    ///
    /// - Throws: `RunMarkerError.alreadyRunning` when another process holds the lock,
    ///   `RunMarkerError.system` when the file cannot be opened, locked or written.
    public static func acquire(dataDir: String, startedAt: Timestamp) throws(RunMarkerError) -> RunMarker {
        let path = path(dataDir: dataDir)
        let attempts = 10
        for attempt in 1...attempts {
            let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o640)
            guard fd >= 0 else { throw .system(operation: "open", path: path, errno: errno) }
            if let code = lock(fd, LOCK_EX) {
                let holder = contents(of: fd)
                close(fd)
                guard code == EWOULDBLOCK else { throw .system(operation: "lock", path: path, errno: code) }
                // `inspect` holds a shared lock for an instant: ask again before concluding.
                if attempt < attempts {
                    usleep(20_000)
                    continue
                }
                throw .alreadyRunning(pid: holder?.pid, dataDir: dataDir)
            }
            // A stopping daemon removes the file: if that happened between our open and our lock,
            // the lock is on a file nobody else will find. Start over with the one at `path`.
            guard isFile(fd, at: path) else {
                close(fd)
                continue
            }
            let pid = getpid()
            let line = Array("\(pid) \(startedAt.milliseconds)\n".utf8)
            // Emptied first: a reader that finds no complete line waits for it (see `contents(of:)`).
            let written = ftruncate(fd, 0) == 0 ? line.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) } : -1
            guard written == line.count else {
                let code = errno
                close(fd)
                throw .system(operation: "write", path: path, errno: code)
            }
            return RunMarker(path: path, descriptor: fd, pid: pid, startedAt: startedAt)
        }
        throw .system(operation: "lock", path: path, errno: EAGAIN)
    }

    /// Removes the file and drops the lock, on a clean stop. Safe to call more than once.
    public func release() {
        descriptor.withLock { fd in
            guard fd >= 0 else { return }
            // Removed while still locked, so no other daemon can have taken this file meanwhile.
            if Self.isFile(fd, at: path) { unlink(path) }
            close(fd)
            fd = -1
        }
    }

    /// Whether a daemon runs with `dataDir`, read-only and without waiting.
    public static func inspect(dataDir: String) -> RunState {
        let path = path(dataDir: dataDir)
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            let code = errno
            return code == ENOENT ? .stopped : .unknown(reason: "cannot open \(path): \(String(cString: strerror(code)))")
        }
        defer { close(fd) }
        guard let code = lock(fd, LOCK_SH) else {
            flock(fd, LOCK_UN)
            return .stopped
        }
        guard code == EWOULDBLOCK else {
            return .unknown(reason: "cannot lock \(path): \(String(cString: strerror(code)))")
        }
        // A daemon holds it. It writes its line right after locking: give it a moment if it has not yet.
        for _ in 0..<50 {
            if let holder = contents(of: fd) {
                return .running(pid: holder.pid, startedAt: holder.startedAt)
            }
            usleep(2_000)
        }
        return .unknown(reason: "\(path) is locked but names no process")
    }

    /// `flock` without waiting; the errno of a failure, nil on success.
    private static func lock(_ fd: Int32, _ operation: Int32) -> Int32? {
        while flock(fd, operation | LOCK_NB) != 0 {
            if errno != EINTR { return errno }
        }
        return nil
    }

    /// The file's line, when it is complete.
    private static func contents(of fd: Int32) -> (pid: Int32, startedAt: Timestamp)? {
        var bytes = [UInt8](repeating: 0, count: 64)
        let count = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        guard count > 0, let end = bytes[..<count].firstIndex(of: UInt8(ascii: "\n")) else { return nil }
        let fields = String(decoding: bytes[..<end], as: UTF8.self).split(separator: " ")
        guard fields.count == 2, let pid = Int32(fields[0]), pid > 0, let started = Int64(fields[1]) else { return nil }
        return (pid, Timestamp(milliseconds: started))
    }

    private static func isFile(_ fd: Int32, at path: String) -> Bool {
        var held = stat(), named = stat()
        guard fstat(fd, &held) == 0, stat(path, &named) == 0 else { return false }
        return held.st_dev == named.st_dev && held.st_ino == named.st_ino
    }
}

/// What `RunMarker.inspect` found.
public enum RunState: Sendable, Equatable {
    /// A daemon holds the marker: its process id and when it started.
    case running(pid: Int32, startedAt: Timestamp)
    /// No daemon runs with this data directory (no file, or a file nobody holds).
    case stopped
    /// The marker could not be read, e.g. for lack of permission.
    case unknown(reason: String)
}

public enum RunMarkerError: Error, Equatable, CustomStringConvertible {
    /// Another process holds the marker; its pid when the file names it.
    case alreadyRunning(pid: Int32?, dataDir: String)
    case system(operation: String, path: String, errno: Int32)

    public var description: String {
        switch self {
        case .alreadyRunning(let pid?, let dataDir):
            "another streetgate (pid \(pid)) is running with data_dir \(dataDir)"
        case .alreadyRunning(nil, let dataDir):
            "another streetgate is running with data_dir \(dataDir)"
        case .system(let operation, let path, let code):
            "cannot \(operation) \(path): \(String(cString: strerror(code)))"
        }
    }
}
