import Testing

@testable import GatewayCore

/// Parsing helpers shared by the TOML tests.
enum TOMLTesting {
    /// The root table of `text`, or the test fails with the syntax error.
    static func parse(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: TOMLNode] {
        do {
            return try TOMLNode.parseDocument(text)
        } catch {
            Issue.record("\(error.line ?? 0):\(error.column ?? 0): \(error.message)", sourceLocation: sourceLocation)
            throw error
        }
    }

    /// The syntax error of `text`, or nil when it parses.
    static func error(_ text: String) -> TOMLSyntaxError? {
        do {
            _ = try TOMLNode.parseDocument(text)
            return nil
        } catch {
            return error
        }
    }
}

/// A document the parser must refuse, and the error it must give.
struct InvalidTOML: Sendable, CustomTestStringConvertible {
    var text: String
    var line: Int
    var column: Int
    var message: String

    init(_ text: String, _ line: Int, _ column: Int, _ message: String) {
        self.text = text
        self.line = line
        self.column = column
        self.message = message
    }

    var testDescription: String { escapingControlCharacters(text) }

    /// Checks that `text` fails with exactly this error, on one line.
    func check(sourceLocation: SourceLocation = #_sourceLocation) {
        guard let error = TOMLTesting.error(text) else {
            Issue.record("parsed without an error", sourceLocation: sourceLocation)
            return
        }
        #expect(error.message == message, sourceLocation: sourceLocation)
        #expect(
            error.line == line && error.column == column, "at \(error.line ?? 0):\(error.column ?? 0)",
            sourceLocation: sourceLocation)
        #expect(
            !error.message.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F },
            sourceLocation: sourceLocation)
    }
}
