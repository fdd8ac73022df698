/// Why the buffer could not be opened or written, in words a technician can act on.
public enum StoreError: Error, Equatable, CustomStringConvertible {
    /// A setting is out of range; the message names it and what was expected.
    case invalidSettings(String)
    /// The database's directory does not exist (the writer creates the file, not the directory).
    case directoryMissing(path: String)
    /// A reader was pointed at a file that does not exist.
    case databaseMissing(path: String)
    /// SQLite could not open or prepare the file.
    case cannotOpen(path: String, reason: String)
    /// The file is damaged (truncated, overwritten): SQLite says it is not a database or is corrupt.
    case corrupt(path: String, reason: String)
    /// SQLite did not take a setting the buffer relies on.
    case pragmaNotApplied(pragma: String, expected: String, actual: String)
    /// The file was migrated by a newer StreetGate than this one.
    case newerSchema(path: String, unknownMigrations: [String])
    /// The file is an SQLite database, but not a StreetGate buffer.
    case notABuffer(path: String)
    /// A commit still did not fit after everything evictable was evicted.
    case full(path: String, maxSize: Int64)
    /// The writer was closed.
    case closed
    /// A stored row holds a value this StreetGate does not know (a damaged or foreign file).
    case unreadableRow(table: String, id: Int64, reason: String)
    /// An uplink operation named a hub that `registerHubs` never registered.
    case unknownHub(String)

    public var description: String {
        switch self {
        case .invalidSettings(let message):
            "invalid buffer settings: \(message)"
        case .directoryMissing(let path):
            "cannot create the buffer database \(path): its directory does not exist"
        case .databaseMissing(let path):
            "no buffer database at \(path): has the gateway run with this data_dir?"
        case .corrupt(let path, let reason):
            "the buffer database \(path) is damaged: \(reason)"
        case .cannotOpen(let path, let reason):
            "cannot open the buffer database \(path): \(reason)"
        case .pragmaNotApplied(let pragma, let expected, let actual):
            "SQLite refused PRAGMA \(pragma): expected \(expected), got \(actual)"
        case .newerSchema(let path, let unknown):
            "the buffer database \(path) was written by a newer StreetGate (migrations \(unknown.joined(separator: ", ")))"
        case .notABuffer(let path):
            "\(path) is an SQLite database but not a StreetGate buffer"
        case .full(let path, let maxSize):
            "the buffer database \(path) is full (max_size \(maxSize) bytes, or its filesystem) even after evicting the oldest readings, aggregates and cleared alerts"
        case .closed:
            "the buffer writer is closed"
        case .unreadableRow(let table, let id, let reason):
            "row \(id) of \(table) in the buffer database cannot be read: \(reason)"
        case .unknownHub(let name):
            "no hub named \"\(name)\" is registered in the buffer"
        }
    }
}
