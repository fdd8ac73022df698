/// The problems found so far in one file, shared by the readers of all its tables so that every
/// problem is reported, not only the first.
///
/// A class because many `TableReader`s append to it; it lives for one `ConfigLoader.parse` call.
final class ProblemLog {
    let file: String
    private(set) var problems: [ConfigProblem] = []

    init(file: String) {
        self.file = file
    }

    /// Messages quote values from the file, which may hold control characters (a tab in a topic
    /// filter); they are escaped so that each problem prints as one line.
    func report(_ key: String, _ message: String) {
        problems.append(ConfigProblem(file: file, key: key, message: escapingControlCharacters(message)))
    }

    func missing(_ key: String, expected: String) {
        report(key, "missing; expected \(expected)")
    }

    /// `got` is the value as the file wrote it (`"xml"`, `42`).
    func invalid(_ key: String, got: String, expected: String) {
        report(key, "got \(got), expected \(expected)")
    }

    /// For a `reason` that already says what was expected.
    func rejected(_ key: String, got: String, reason: String) {
        report(key, "got \(got): \(reason)")
    }
}
