import Foundation
import GatewayCore
import GatewayStore
import Glibc

/// What `check --online` looks at on this machine: the data directory, the room on its file system,
/// the database's health and the clock.
enum LocalChecks {
    /// Room kept free beyond the buffer's own bound: the WAL while it checkpoints, the journal, the rest
    /// of the system.
    static let headroom: Int64 = 64 << 20

    /// The data directory exists and takes a new file, or can be created.
    static func dataDirectory(_ path: String) -> CheckResult {
        let item = "data_dir"
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            let parent = nearestExistingDirectory(path)
            if access(parent, W_OK | X_OK) == 0 {
                return .pass(item, "\(path) does not exist yet; \(parent) lets \(userName()) create it")
            }
            return .fail(
                item, "\(path) does not exist, and \(userName()) cannot create it in \(parent)",
                next: "create it for the daemon's user (install -d -m 0750 -o streetgate \(path)); the systemd unit's StateDirectory= does that"
            )
        }
        guard isDirectory.boolValue else {
            return .fail(item, "\(path) is not a directory", next: "set gateway.data_dir to a directory")
        }
        let probe = "\(path)/.streetgate-check-\(getpid())"
        let fd = open(probe, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            let reason = String(cString: strerror(errno))
            return .fail(
                item, "\(path): \(userName()) cannot create a file there: \(reason)",
                next: "give the daemon's user write access (chown -R streetgate: \(path)), and run check as that user"
            )
        }
        let written = write(fd, "x", 1)
        let writeError = errno
        close(fd)
        unlink(probe)
        guard written == 1 else {
            return .fail(item, "\(path): cannot write a file there: \(String(cString: strerror(writeError)))",
                         next: "see whether the file system is full or mounted read-only (mount | grep ' ro,')")
        }
        return .pass(item, "\(path) is writable by \(userName())")
    }

    /// The file system under the data directory has room for the buffer to reach `buffer.max_size`,
    /// plus `headroom`.
    static func diskSpace(dataDir: String, databasePath: String, maxSize: Int64) -> CheckResult {
        let item = "disk"
        let directory = nearestExistingDirectory(dataDir)
        var info = statvfs()
        guard statvfs(directory, &info) == 0 else {
            return .fail(item, "cannot read the free space of \(directory): \(String(cString: strerror(errno)))", next: nil)
        }
        let free = Int64(info.f_bavail) * Int64(info.f_frsize)
        let used = fileSize(databasePath) + fileSize(databasePath + "-wal")
        let growth = max(0, maxSize - used)
        let needed = growth + headroom
        let figures = "\(StatusScreen.bytes(free)) free on \(directory), \(StatusScreen.bytes(needed)) needed"
            + " (buffer growth to max_size + \(StatusScreen.bytes(headroom)))"
        if free >= needed {
            return .pass(item, figures)
        }
        return .fail(item, "only " + figures, next: "free space on that file system, or lower buffer.max_size to fit")
    }

    /// `PRAGMA quick_check` on the buffer, opened read-only; no database yet passes.
    static func database(_ path: String) -> CheckResult {
        let item = "database"
        guard FileManager.default.fileExists(atPath: path) else {
            return .pass(item, "no database yet at \(path) (the daemon creates it)")
        }
        let recreate = "stop streetgate, move \(path) and its -wal and -shm files aside, and start it again:"
            + " it creates a new, empty buffer (keep the old files to recover data)"
        let problems: [String]
        do {
            problems = try BufferReader(path: path).integrityProblems(limit: 5)
        } catch {
            return .fail(item, "\(error)", next: recreate)
        }
        guard problems.isEmpty else {
            return .fail(item, "\(path) fails quick_check: " + problems.joined(separator: "; "), next: recreate)
        }
        return .pass(item, "\(path) passes quick_check (\(StatusScreen.bytes(fileSize(path))))")
    }

    /// Damaged buffers the daemon moved aside at start (`DamagedFile`): a FAIL until someone looked.
    static func damagedBuffers(near path: String) -> CheckResult? {
        let moved = DamagedFile.movedAside(near: path)
        guard let latest = moved.last else { return nil }
        let count = moved.count == 1 ? "a damaged buffer" : "\(moved.count) damaged buffers"
        return .fail(
            "damaged", "the daemon found \(count) and started afresh; the latest is \(latest)",
            next: "its readings, alerts and aggregates were never sent: copy it away for recovery, then delete it to clear this line"
        )
    }

    static func clock(_ sync: ClockSync) -> CheckResult {
        let item = "clock"
        let error = sync.maxErrorMicroseconds.map { " (max error \(StatusScreen.microseconds($0)))" } ?? ""
        switch sync.synchronised {
        case true?:
            return .pass(item, "synchronised\(error)")
        case false?:
            return .fail(item, "not synchronised\(error): readings without a time of their own get a wrong one",
                         next: "enable systemd-timesyncd or chrony")
        case nil:
            return .fail(item, "the kernel did not say whether the clock is synchronised (adjtimex failed)",
                         next: "check timedatectl status")
        }
    }

    /// `path`, or its closest ancestor that exists.
    static func nearestExistingDirectory(_ path: String) -> String {
        var url = URL(fileURLWithPath: path)
        while url.path != "/" && !FileManager.default.fileExists(atPath: url.path) {
            url.deleteLastPathComponent()
        }
        return url.path
    }

    static func fileSize(_ path: String) -> Int64 {
        var info = stat()
        return stat(path, &info) == 0 ? Int64(info.st_size) : 0
    }

    static func userName() -> String {
        guard let entry = getpwuid(geteuid()), let name = entry.pointee.pw_name else { return "uid \(geteuid())" }
        return String(cString: name)
    }
}
