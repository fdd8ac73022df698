/// A dotted path into a JSON payload: `value`, `data.flow`, `values.0`.
///
/// Each segment is an object key; an all-digits segment indexes an array when it meets one (and
/// is still a key when it meets an object). Keys that contain '.' cannot be reached.
public struct JSONPath: Sendable, Hashable, CustomStringConvertible {
    public let text: String
    private let segments: [Segment]

    private struct Segment: Sendable, Hashable {
        var key: String
        var index: Int?
    }

    /// The longest path, in UTF-8 bytes. Failure details quote the path, and a detail is one
    /// short line; real paths are a few segments long.
    public static let maxLength = 100

    public init(_ text: String) throws(JSONPathError) {
        guard !text.isEmpty else {
            throw JSONPathError(#"the path is empty; expected a dotted path such as "value" or "data.flow""#)
        }
        guard text.utf8.count <= Self.maxLength else {
            throw JSONPathError("the path is \(text.utf8.count) bytes long; expected at most \(Self.maxLength)")
        }
        var segments: [Segment] = []
        for (offset, part) in text.split(separator: ".", omittingEmptySubsequences: false).enumerated() {
            guard !part.isEmpty else {
                throw JSONPathError(#"segment \#(offset + 1) of "\#(text)" is empty; expected keys separated by single dots"#)
            }
            let isIndex = part.utf8.allSatisfy { asciiDigit($0) != nil }
            segments.append(Segment(key: String(part), index: isIndex ? Int(part) : nil))
        }
        self.text = text
        self.segments = segments
    }

    public var description: String { text }

    /// What the path finds in `root`.
    func resolve(in root: JSONValue) -> Resolution {
        var current = root
        for (position, segment) in segments.enumerated() {
            switch current {
            case .object(let object):
                guard let next = object[segment.key] else { return .missing }
                current = next
            case .array(let elements):
                guard let index = segment.index, index < elements.count else { return .missing }
                current = elements[index]
            default:
                let parent = segments[..<position].map(\.key).joined(separator: ".")
                return .blocked(parent: parent, kind: current.kindDescription)
            }
        }
        return .found(current)
    }

    enum Resolution {
        case found(JSONValue)
        /// A key or index that is not there.
        case missing
        /// A segment met a value that has no members, such as a number.
        case blocked(parent: String, kind: String)
    }
}

/// A `value` or `time` path that cannot be used, with what was expected.
public struct JSONPathError: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}
