import Glibc

/// The process environment as a dictionary, read from `environ` without Foundation.
///
/// Every type here takes its environment as a parameter whose default is this, so tests hand in
/// their own dictionary instead of changing the real environment of the test process.
public enum ProcessEnvironment {
    public static var variables: [String: String] {
        var variables: [String: String] = [:]
        var entry: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?> = environ
        while let pointer = entry.pointee {
            let text = String(cString: pointer)
            if let separator = text.firstIndex(of: "=") {
                // The first definition wins, as with getenv(3).
                let name = String(text[..<separator])
                if variables[name] == nil {
                    variables[name] = String(text[text.index(after: separator)...])
                }
            }
            entry += 1
        }
        return variables
    }
}
