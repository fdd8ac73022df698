/// Names the levels of a topic: `city/{city}/{domain}/{device}/{metric}`.
///
/// Each level is either a literal that the topic must repeat exactly, or exactly one `{name}` that
/// captures whatever text the topic has at that level. Names are letters, digits and '_', each used
/// once. MQTT wildcards belong in the subscription filter, not here, so `+` and `#` are refused.
public struct TopicTemplate: Sendable, Hashable, CustomStringConvertible {
    public let pattern: String
    /// The field names in level order.
    public let fieldNames: [String]
    private let levels: [Level]

    private enum Level: Sendable {
        case literal([UInt8])
        case field
    }

    public init(_ pattern: String) throws(TemplateError) {
        guard !pattern.isEmpty else {
            throw TemplateError(#"the template is empty; expected levels such as "city/{city}/{device}/{metric}""#)
        }
        var levels: [Level] = []
        var names: [String] = []
        var nameLevels: [String: Int] = [:]
        // Levels and their brackets are found in the UTF-8 bytes, as `match` reads topics: split
        // as Characters, a '/' or '}' followed by a combining mark would hide in one grapheme.
        for (offset, bytes) in pattern.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false).enumerated() {
            let number = offset + 1
            let text = Substring(bytes)
            if bytes.contains(UInt8(ascii: "+")) || bytes.contains(UInt8(ascii: "#")) {
                throw TemplateError(
                    #"level \#(number) "\#(text)" has an MQTT wildcard; a template names levels with {name}, "#
                        + "and wildcards belong in `topics`"
                )
            }
            guard bytes.contains(UInt8(ascii: "{")) || bytes.contains(UInt8(ascii: "}")) else {
                levels.append(.literal(Array(bytes)))
                continue
            }
            guard bytes.first == UInt8(ascii: "{"), bytes.last == UInt8(ascii: "}"), bytes.count >= 2 else {
                throw TemplateError(
                    #"level \#(number) "\#(text)" mixes text and a field; expected a literal or exactly one {name}"#
                )
            }
            let name = Substring(bytes.dropFirst().dropLast())
            if name.utf8.contains(UInt8(ascii: "{")) || name.utf8.contains(UInt8(ascii: "}")) {
                throw TemplateError(
                    #"level \#(number) "\#(text)" mixes text and a field; expected a literal or exactly one {name}"#
                )
            }
            guard isValidFieldName(name) else {
                throw TemplateError(
                    #"level \#(number) "\#(text)" has an invalid field name; names use letters, digits and '_'"#
                )
            }
            if let earlier = nameLevels[String(name)] {
                throw TemplateError(
                    "field {\(name)} names both level \(earlier) and level \(number); each name must be unique"
                )
            }
            nameLevels[String(name)] = number
            names.append(String(name))
            levels.append(.field)
        }
        self.pattern = pattern
        self.fieldNames = names
        self.levels = levels
    }

    public var description: String { pattern }

    /// The fields of `topic`, or nil when its level count or a literal level differs, or when a
    /// field's level is empty (an id is never built with a gap in it).
    public func match(_ topic: String) -> TopicFields? {
        topic.withUTF8Bytes { bytes in
            var ranges: [Range<Int>] = []
            ranges.reserveCapacity(fieldNames.count)
            var scanner = LevelScanner(bytes)
            for level in levels {
                guard let text = scanner.next() else { return nil }
                switch level {
                case .literal(let literal):
                    guard text.hasSameBytes(as: literal) else { return nil }
                case .field:
                    guard !text.isEmpty else { return nil }
                    ranges.append(scanner.offset(of: text))
                }
            }
            guard scanner.next() == nil else { return nil }
            return TopicFields(names: fieldNames, source: topic, ranges: ranges)
        }
    }

    /// Why `topic` does not match, for dead-letter details; nil when it does.
    public func mismatch(_ topic: String) -> String? {
        let topicLevels = topic.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false).map(Substring.init)
        guard topicLevels.count == levels.count else {
            return "the topic has \(topicLevels.count) levels; the template \"\(pattern)\" has \(levels.count)"
        }
        for (index, (level, text)) in zip(levels, topicLevels).enumerated() {
            switch level {
            case .literal(let literal) where !text.utf8.elementsEqual(literal):
                return #"level \#(index + 1) is "\#(text)"; the template "\#(pattern)" expects "\#(String(decoding: literal, as: UTF8.self))""#
            case .field where text.isEmpty:
                return #"level \#(index + 1) is empty; the template "\#(pattern)" needs a value there"#
            default:
                continue
            }
        }
        return nil
    }

    public static func == (lhs: TopicTemplate, rhs: TopicTemplate) -> Bool {
        lhs.pattern == rhs.pattern
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(pattern)
    }
}
