import FuzzChecks
import GatewayCore

/// Topic templates, name templates and topic filters.
///
/// The input is up to four lines: a topic template, a topic, a name template and a topic filter.
/// Levels are the text between '/' bytes, as MQTT defines them. Checks:
/// - `match` and `mismatch` agree on whether a topic matches;
/// - a match gives one non-empty value per field, and the topic built from the template and those
///   values is the topic itself and matches with the same values;
/// - a name template renders as its text with each `{name}` replaced by that field's value;
/// - the filter made from the template (fields as `+`) matches every topic the template matches;
/// - a filter is accepted, and matches, exactly as a plain reading of MQTT 3.1.1 §4.7 says.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let lines = bytes(data, size).split(separator: UInt8(ascii: "\n"), maxSplits: 3, omittingEmptySubsequences: false)
    let line = { (index: Int) in index < lines.count ? String(decoding: lines[index], as: UTF8.self) : "" }
    let (templateText, topic, nameText, filterText) = (line(0), line(1), line(2), line(3))

    if let template = try? TopicTemplate(templateText) {
        checkTemplate(template, topic: topic, nameText: nameText)
    }
    checkFilter(filterText, topic: topic)
    return 0
}

func checkTemplate(_ template: TopicTemplate, topic: String, nameText: String) {
    let levels = levelsOf(template.pattern)
    let fieldLevels = levels.compactMap(fieldName)
    require(fieldLevels == template.fieldNames, "field names \(template.fieldNames); the levels name \(fieldLevels)")
    require(Set(fieldLevels).count == fieldLevels.count, "a field name used twice")
    for level in levels where fieldName(level) == nil {
        require(!level.contains(UInt8(ascii: "+")) && !level.contains(UInt8(ascii: "#")), "a literal level with a wildcard")
    }

    let fields = template.match(topic)
    let mismatch = template.mismatch(topic)
    require((fields == nil) == (mismatch != nil), "match gave \(String(describing: fields)) but mismatch says \(String(describing: mismatch))")
    guard let fields else { return }

    require(fields.names == template.fieldNames, "the match's names differ from the template's")
    var built: [UInt8] = []
    for (offset, level) in levels.enumerated() {
        if offset > 0 { built.append(UInt8(ascii: "/")) }
        if let name = fieldName(level) {
            let value = Array((fields[name] ?? "").utf8)
            require(!value.isEmpty && !value.contains(UInt8(ascii: "/")), "field {\(name)} has value \(value)")
            built += value
        } else {
            built += level
        }
    }
    require(built == Array(topic.utf8), "the topic built from the match is not the topic")
    let builtTopic = String(decoding: built, as: UTF8.self)
    require(template.match(builtTopic) == fields, "the topic built from the match does not match alike")

    if let name = try? NameTemplate(nameText, fieldsOf: template) {
        let rendered = Array(name.render(fields).utf8)
        let expected = substitute(Array(nameText.utf8), fields)
        require(rendered == expected, "rendered \(rendered); expected \(expected)")
    }

    let filterLevels = levels.map { fieldName($0) == nil ? $0 : Array("+".utf8) }
    let filterText = String(decoding: Array(filterLevels.joined(separator: [UInt8(ascii: "/")])), as: UTF8.self)
    if let filter = try? TopicFilter(filterText), !(topic.utf8.first == UInt8(ascii: "$") && fieldName(levels[0]) != nil) {
        require(filter.matches(topic), "the template's filter \(filterText) does not match a topic the template matches")
    }
}

func checkFilter(_ filterText: String, topic: String) {
    let filterLevels = levelsOf(filterText)
    let isValid =
        !filterText.isEmpty && !filterText.utf8.contains(0)
        && filterLevels.enumerated().allSatisfy { offset, level in
            if level == Array("#".utf8) { return offset == filterLevels.count - 1 }
            return level == Array("+".utf8) || (!level.contains(UInt8(ascii: "+")) && !level.contains(UInt8(ascii: "#")))
        }
    let filter = try? TopicFilter(filterText)
    require((filter != nil) == isValid, "TopicFilter accepted: \(filter != nil); MQTT says valid: \(isValid)")
    guard let filter else { return }
    require(filter.matches(topic) == mqttMatches(filterLevels, topic), "matches(topic) differs from MQTT 3.1.1 §4.7")

    // A filter without wildcards is a name, and matches itself.
    if !filterLevels.contains(Array("+".utf8)) && !filterLevels.contains(Array("#".utf8)) {
        require(filter.matches(filterText), "a filter without wildcards does not match itself")
    }
}

/// MQTT 3.1.1 §4.7, read plainly: `+` matches one level, a final `#` the rest (including its
/// parent), a leading wildcard never matches a name starting with `$`, and an empty name is not a name.
func mqttMatches(_ filter: [[UInt8]], _ topic: String) -> Bool {
    guard let first = topic.utf8.first else { return false }
    let plus = Array("+".utf8)
    let hash = Array("#".utf8)
    if first == UInt8(ascii: "$") && (filter[0] == plus || filter[0] == hash) { return false }
    let topicLevels = levelsOf(topic)
    for (index, level) in filter.enumerated() {
        if level == hash { return true }
        guard index < topicLevels.count else { return false }
        if level != plus && level != topicLevels[index] { return false }
    }
    return filter.count == topicLevels.count
}

/// The '/'-separated levels of `text`, as bytes; "" has one empty level.
func levelsOf(_ text: String) -> [[UInt8]] {
    Array(text.utf8).split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false).map(Array.init)
}

/// `name` when `level` is exactly `{name}`.
func fieldName(_ level: [UInt8]) -> String? {
    guard level.count >= 2, level.first == UInt8(ascii: "{"), level.last == UInt8(ascii: "}") else { return nil }
    return String(decoding: level.dropFirst().dropLast(), as: UTF8.self)
}

/// `pattern` with each `{name}` replaced by the field's value.
func substitute(_ pattern: [UInt8], _ fields: TopicFields) -> [UInt8] {
    var result: [UInt8] = []
    var index = 0
    while index < pattern.count {
        if pattern[index] == UInt8(ascii: "{"), let close = pattern[index...].firstIndex(of: UInt8(ascii: "}")) {
            let name = String(decoding: pattern[(index + 1)..<close], as: UTF8.self)
            result += Array((fields[name] ?? "").utf8)
            index = close + 1
        } else {
            result.append(pattern[index])
            index += 1
        }
    }
    return result
}
