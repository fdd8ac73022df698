/// An MQTT-style filter over names whose levels are separated by '/': `+/water/+`, `fes/#`, or an
/// exact name. Used for MQTT topics and for sensor ids (`sensors` in a rule).
///
/// Matching follows MQTT 3.1.1 §4.7: `+` matches exactly one level, which may be empty; `#` matches
/// the rest of the levels, including none, so `fes/#` matches `fes` itself; a filter that starts with
/// a wildcard does not match a name that starts with `$` (broker-internal topics such as `$SYS/…`).
public struct TopicFilter: Sendable, Hashable, CustomStringConvertible {
    public let pattern: String
    private let levels: [Level]

    private enum Level: Sendable, Equatable {
        case exact([UInt8])
        case any
        case rest
    }

    /// Checks the MQTT rules: not empty, no NUL, `#` alone in the last level, `+` alone in its level.
    public init(_ filter: String) throws(TemplateError) {
        guard !filter.isEmpty else {
            throw TemplateError(#"the filter is empty; expected names or wildcards such as "+/water/+" or "fes/#""#)
        }
        guard !filter.utf8.contains(0) else {
            throw TemplateError("the filter contains a NUL character")
        }
        // Split and compared as UTF-8 bytes, as `matches` reads names: as Characters, a '/', '+'
        // or '#' followed by a combining mark would hide in one grapheme.
        let texts = filter.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false)
        var levels: [Level] = []
        for (offset, bytes) in texts.enumerated() {
            let number = offset + 1
            let text = Substring(bytes)
            if bytes.elementsEqual("#".utf8) {
                guard number == texts.count else {
                    throw TemplateError(##"level \##(number) is "#" but is not the last; "#" must be the last level of a filter"##)
                }
                levels.append(.rest)
            } else if bytes.elementsEqual("+".utf8) {
                levels.append(.any)
            } else if bytes.contains(UInt8(ascii: "#")) || bytes.contains(UInt8(ascii: "+")) {
                throw TemplateError(
                    ##"level \##(number) "\##(text)" mixes a wildcard with text; "+" and "#" must stand alone in their level"##
                )
            } else {
                levels.append(.exact(Array(bytes)))
            }
        }
        self.pattern = filter
        self.levels = levels
    }

    public var description: String { pattern }

    /// Whether `name` is matched. An empty name is never matched: it is not a valid topic or id.
    public func matches(_ name: String) -> Bool {
        name.withUTF8Bytes { bytes in
            guard let first = bytes.first else { return false }
            if first == UInt8(ascii: "$"), levels[0] == .any || levels[0] == .rest {
                return false
            }
            var scanner = LevelScanner(bytes)
            for level in levels {
                guard let text = scanner.next() else {
                    // The name ran out of levels: only a final "#" still matches, as it also
                    // matches its parent level.
                    return level == .rest
                }
                switch level {
                case .rest: return true
                case .any: continue
                case .exact(let literal): guard text.hasSameBytes(as: literal) else { return false }
                }
            }
            return scanner.next() == nil
        }
    }

    public static func == (lhs: TopicFilter, rhs: TopicFilter) -> Bool {
        lhs.pattern == rhs.pattern
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(pattern)
    }
}
