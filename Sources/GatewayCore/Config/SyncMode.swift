/// How hard the buffer flushes (`buffer.sync`): SQLite's `synchronous` pragma, chosen on purpose.
public enum SyncMode: String, Sendable, CaseIterable, Codable {
    /// `synchronous = NORMAL` in WAL mode: a committed reading survives a process crash or SIGKILL.
    case normal
    /// `synchronous = FULL`: a committed reading also survives a power cut.
    case full
}
