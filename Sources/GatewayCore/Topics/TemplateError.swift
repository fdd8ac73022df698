/// A topic template, name template or topic filter that cannot be used, with what was expected.
///
/// The description is written for the technician who typed the pattern: it names the level or
/// field at fault and what would have been accepted, so `streetgate check` can print it as is.
public struct TemplateError: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}

/// Field names are ASCII letters, digits and '_': they appear in config files and log lines,
/// where anything wider invites look-alike characters.
func isValidFieldName(_ name: Substring) -> Bool {
    !name.isEmpty && name.utf8.allSatisfy { byte in
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"):
            true
        default:
            false
        }
    }
}

/// "city, domain, device" or "no fields", for error messages.
func listOfFieldNames(_ names: [String]) -> String {
    names.isEmpty ? "no fields" : names.joined(separator: ", ")
}
