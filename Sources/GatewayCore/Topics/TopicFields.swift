/// The values a topic gave to the fields of a `TopicTemplate`, in level order.
///
/// Holds the topic and the byte range of each value rather than a String per value: decoding a
/// message only needs the ids built from them, and `NameTemplate.render` copies those bytes
/// straight from the topic. A handful of fields at most, so lookups scan a small array.
public struct TopicFields: Sendable, Hashable {
    public let names: [String]
    /// The topic the values are taken from.
    let source: String
    /// Byte offsets of each value in `source`, parallel to `names`.
    let ranges: [Range<Int>]

    /// For tests and callers that build fields by hand: `TopicFields(["city": "fes"])`.
    public init(_ pairs: KeyValuePairs<String, String>) {
        var source = ""
        var ranges: [Range<Int>] = []
        for (_, value) in pairs {
            let start = source.utf8.count
            source += value
            ranges.append(start..<source.utf8.count)
        }
        self.init(names: pairs.map(\.key), source: source, ranges: ranges)
    }

    init(names: [String], source: String, ranges: [Range<Int>]) {
        assert(names.count == ranges.count)
        self.names = names
        self.source = source
        self.ranges = ranges
    }

    /// The value of the field called `name`, or nil when the template has no such field.
    public subscript(name: String) -> String? {
        guard let index = names.firstIndex(of: name) else { return nil }
        return source.withUTF8Bytes { String(decoding: UnsafeBufferPointer(rebasing: $0[ranges[index]]), as: UTF8.self) }
    }

    /// The values in level order.
    public var values: [String] {
        names.map { self[$0] ?? "" }
    }

    public var count: Int { names.count }

    public static func == (lhs: TopicFields, rhs: TopicFields) -> Bool {
        lhs.names == rhs.names && lhs.values == rhs.values
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(names)
        hasher.combine(values)
    }
}
