import Glibc

/// ANSI colours, only for a person at a terminal: never when standard output is a pipe or a file,
/// nor when `NO_COLOR` is set (no-color.org) or the terminal is `dumb`.
struct TerminalStyle: Sendable {
    enum Colour: String, Sendable {
        case red = "31"
        case yellow = "33"
        case green = "32"
    }

    var enabled: Bool

    static let plain = TerminalStyle(enabled: false)

    /// Colours when `descriptor` is a terminal and the environment does not say otherwise.
    static func detect(descriptor: Int32 = STDOUT_FILENO, environment: [String: String]) -> TerminalStyle {
        let noColour = environment["NO_COLOR"].map { !$0.isEmpty } ?? false
        let dumb = environment["TERM"] == "dumb"
        return TerminalStyle(enabled: isatty(descriptor) == 1 && !noColour && !dumb)
    }

    func paint(_ text: String, _ colour: Colour?) -> String {
        guard enabled, let colour, !text.isEmpty else { return text }
        return "\u{1B}[\(colour.rawValue)m\(text)\u{1B}[0m"
    }
}
