/// Specs for the values that the Topics and Payloads code parse: the config holds them parsed, so
/// their problems are found here, with the parsers' own words.
extension ValueSpec<TopicFilter> {
    static func topicFilter(example: String) -> Self {
        .parsed("an MQTT topic filter like \(tomlQuoted(example))", example: example, TopicFilter.init)
    }
}

extension ValueSpec<TopicTemplate> {
    static var topicTemplate: Self {
        let example = SourceConfig.defaultTemplate.pattern
        return .parsed("a topic template like \(tomlQuoted(example))", example: example, TopicTemplate.init)
    }
}

extension ValueSpec<NameTemplate> {
    /// A name built from the fields of `template`.
    static func nameTemplate(over template: TopicTemplate, example: String) -> Self {
        .parsed("a name template like \(tomlQuoted(example))", example: example) { text throws(TemplateError) in
            try NameTemplate(text, fieldsOf: template)
        }
    }
}

extension ValueSpec<JSONPath> {
    static func jsonPath(example: String) -> Self {
        .parsed("a dotted JSON path like \(tomlQuoted(example))", example: example, JSONPath.init)
    }
}

extension ValueSpec<JSONPath?> {
    /// A JSON path, or `""` for none.
    static func optionalJSONPath(example: String) -> Self {
        let path = ValueSpec<JSONPath>.jsonPath(example: example)
        return ValueSpec(expected: "\(path.expected), or \"\" for none", typeName: path.typeName) { node in
            if case .string("") = node { return .value(nil) }
            switch path.decode(node) {
            case .value(let value): return .value(value)
            case .wrongType: return .wrongType
            case .invalid(let expected): return .invalid(expected: expected)
            case .rejected(let reason): return .rejected(reason: reason)
            }
        }
    }
}
