/// One thing wrong with a configuration file, printed as one line that names the file, the key and
/// what was expected:
///
///     /etc/streetgate/streetgate.toml: source[0].format: got "xml", expected one of json, senml, text
///     /etc/streetgate/streetgate.toml: gateway.id: missing; expected letters, digits, '.', '_', '-' (1 to 64)
///     /etc/streetgate/streetgate.toml:36:11: (syntax): found 'info', expected '=' after the key log_level
///
/// Keys are dotted paths as the file spells them, with the index of the `[[source]]`, `[[hub]]` or
/// `[[rule]]` block counted from 0 (`hub[1].url`). Only a syntax error knows its line and column:
/// the parsed tree does not keep positions.
public struct ConfigProblem: Sendable, Equatable, CustomStringConvertible {
    /// The file as the caller named it.
    public var file: String
    /// The dotted key, or `(syntax)` when the file is not valid TOML.
    public var key: String
    /// What is wrong: `got "xml", expected one of json, senml, text`, or `missing; expected …`.
    public var message: String
    /// Where a syntax error is, counted from 1.
    public var line: Int?
    public var column: Int?

    public init(file: String, key: String, message: String, line: Int? = nil, column: Int? = nil) {
        self.file = file
        self.key = key
        self.message = message
        self.line = line
        self.column = column
    }

    /// The key under which a syntax error is reported.
    public static let syntaxKey = "(syntax)"

    public var description: String {
        var place = file
        if let line {
            place += ":\(line)"
            if let column { place += ":\(column)" }
        }
        return "\(place): \(key): \(message)"
    }
}
