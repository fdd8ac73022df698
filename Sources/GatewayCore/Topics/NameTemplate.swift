/// Builds an id from topic fields: `{city}/{domain}/{device}` or a plain `flow`.
///
/// Text outside braces is copied as is; each `{name}` is replaced by the topic's value for that
/// field, and must be one of the names the topic template defines.
public struct NameTemplate: Sendable, Hashable, CustomStringConvertible {
    public let pattern: String
    /// The field names used, in order of first appearance.
    public let fieldNames: [String]
    private let parts: [Part]

    private enum Part: Sendable {
        case text([UInt8])
        /// A field and where it usually sits in `TopicFields`, so rendering rarely has to search.
        case field(String, position: Int)
    }

    /// `available` is the set of names the topic template defines. Error messages list them in
    /// alphabetical order; use `init(_:fieldsOf:)` to have them in level order.
    public init(_ pattern: String, available: Set<String>) throws(TemplateError) {
        try self.init(pattern, names: available.sorted())
    }

    /// A name template over the fields of `template`.
    public init(_ pattern: String, fieldsOf template: TopicTemplate) throws(TemplateError) {
        try self.init(pattern, names: template.fieldNames)
    }

    private init(_ pattern: String, names: [String]) throws(TemplateError) {
        guard !pattern.isEmpty else {
            throw TemplateError(#"the name template is empty; expected text with {name} fields, such as "{city}/{device}""#)
        }
        var parts: [Part] = []
        var used: [String] = []
        // Braces are found in the UTF-8 bytes, as `render` copies them: as Characters, a brace
        // followed by a combining mark would pass for text.
        var rest = pattern.utf8[...]
        while !rest.isEmpty {
            let open = rest.firstIndex(of: UInt8(ascii: "{")) ?? rest.endIndex
            let literal = rest[..<open]
            if literal.contains(UInt8(ascii: "}")) {
                throw TemplateError(#"a "}" in "\#(pattern)" has no opening "{"; expected text with {name} fields"#)
            }
            if !literal.isEmpty { parts.append(.text(Array(literal))) }
            guard open < rest.endIndex else { break }
            let afterOpen = rest.index(after: open)
            guard let close = rest[afterOpen...].firstIndex(of: UInt8(ascii: "}")) else {
                throw TemplateError(#"a "{" in "\#(pattern)" has no closing "}"; expected text with {name} fields"#)
            }
            let name = Substring(rest[afterOpen..<close])
            guard isValidFieldName(name) else {
                throw TemplateError(#"field "{\#(name)}" in "\#(pattern)" is not a name; names use letters, digits and '_'"#)
            }
            guard names.contains(where: { $0 == name }) else {
                throw TemplateError("unknown field {\(name)}; the template names \(listOfFieldNames(names))")
            }
            if !used.contains(where: { $0 == name }) { used.append(String(name)) }
            parts.append(.field(String(name), position: names.firstIndex { $0 == name } ?? 0))
            rest = rest[rest.index(after: close)...]
        }
        self.pattern = pattern
        self.fieldNames = used
        self.parts = parts
    }

    public var description: String { pattern }

    /// The id for `fields`. A field missing from `fields` renders as nothing; fields from a match of
    /// the template this was checked against always have every name.
    public func render(_ fields: TopicFields) -> String {
        fields.source.withUTF8Bytes { source in
            // The value of each part, as bytes of the topic or of the template.
            @inline(__always) func range(of name: String, at position: Int) -> Range<Int> {
                if position < fields.names.count && fields.names[position] == name { return fields.ranges[position] }
                guard let index = fields.names.firstIndex(of: name) else { return 0..<0 }
                return fields.ranges[index]
            }
            var length = 0
            for part in parts {
                switch part {
                case .text(let text): length += text.count
                case .field(let name, let position): length += range(of: name, at: position).count
                }
            }
            // Measured first, then copied once: one allocation, no growth.
            return String(unsafeUninitializedCapacity: length) { buffer in
                var offset = 0
                for part in parts {
                    switch part {
                    case .text(let text):
                        for byte in text { buffer[offset] = byte; offset += 1 }
                    case .field(let name, let position):
                        for byte in source[range(of: name, at: position)] { buffer[offset] = byte; offset += 1 }
                    }
                }
                return offset
            }
        }
    }

    public static func == (lhs: NameTemplate, rhs: NameTemplate) -> Bool {
        lhs.pattern == rhs.pattern && lhs.fieldNames == rhs.fieldNames
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(pattern)
    }
}
