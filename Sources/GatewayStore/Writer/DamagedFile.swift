import Foundation
import GRDB
import GatewayCore

/// What to do with a buffer file SQLite calls damaged: keep it for a post-mortem, out of the way.
public enum DamagedFile {
    /// The suffix of a file moved aside; `streetgate check` looks for it.
    public static let marker = ".damaged-"

    /// Renames the database and its WAL and shared-memory files to `<path>.damaged-<time>`, so the
    /// gateway can start on a fresh buffer; returns the new name of the database file.
    public static func moveAside(_ path: String, at now: Timestamp) throws -> String {
        let stamp = now.rfc3339.replacingOccurrences(of: ":", with: "")
        let target = path + marker + stamp
        for suffix in ["", "-wal", "-shm"] where FileManager.default.fileExists(atPath: path + suffix) {
            try FileManager.default.moveItem(atPath: path + suffix, toPath: target + suffix)
        }
        return target
    }

    /// Copies the database and its WAL and shared-memory files to `<path>.damaged-<time>` and
    /// returns the copy's name; for a file a connection still holds open, whose closing would
    /// checkpoint the WAL into it. Delete the originals with `remove` once it is closed.
    public static func copyAside(_ path: String, at now: Timestamp) throws -> String {
        let target = path + marker + now.rfc3339.replacingOccurrences(of: ":", with: "")
        for suffix in ["", "-wal", "-shm"] where FileManager.default.fileExists(atPath: path + suffix) {
            try FileManager.default.copyItem(atPath: path + suffix, toPath: target + suffix)
        }
        return target
    }

    /// Deletes the database at `path` and its WAL and shared-memory files.
    public static func remove(_ path: String) throws {
        for suffix in ["", "-wal", "-shm"] where FileManager.default.fileExists(atPath: path + suffix) {
            try FileManager.default.removeItem(atPath: path + suffix)
        }
    }

    /// Damaged files moved aside next to `path`, oldest first.
    public static func movedAside(near path: String) -> [String] {
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent().path
        let prefix = url.lastPathComponent + marker
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { $0.hasPrefix(prefix) && !$0.hasSuffix("-wal") && !$0.hasSuffix("-shm") }
            .sorted().map { "\(directory)/\($0)" }
    }
}

extension DamagedFile {
    /// Whether `error` says the file is damaged: SQLite's "malformed" or "not a database", however
    /// late it showed (a file cut short can open, and fail at the first read of a lost page).
    public static func isDamage(_ error: any Error) -> Bool {
        if case StoreError.corrupt = error { return true }
        if let error = error as? DatabaseError {
            return error.resultCode == .SQLITE_CORRUPT || error.resultCode == .SQLITE_NOTADB
        }
        return false
    }
}
