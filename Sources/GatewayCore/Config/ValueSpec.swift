/// How to read one key's value: which TOML type it takes, how to turn that into a model value, and
/// what to say when the value is missing, of the wrong type or out of bounds.
struct ValueSpec<Value> {
    /// What a right value looks like, after "missing; expected" (`a duration like "30s"`).
    var expected: String
    /// The TOML type with an example, after "got an integer, expected" (`a string like "30s"`).
    var typeName: String
    var decode: (TOMLNode) -> Decoded<Value>
}

enum Decoded<Value> {
    case value(Value)
    case wrongType
    /// Of the right type but not acceptable; `expected` says what would be.
    case invalid(expected: String)
    /// Of the right type but not acceptable, for a `reason` that says it all (a parser's message).
    case rejected(reason: String)
}

extension ValueSpec {
    /// A string, turned into a value by `convert` or rejected with `expected`.
    static func string(
        _ expected: String, typeName: String = "a string", _ convert: @escaping (String) -> Value?
    ) -> Self {
        ValueSpec(expected: expected, typeName: typeName) { node in
            guard case .string(let text) = node else { return .wrongType }
            guard let value = convert(text) else { return .invalid(expected: expected) }
            return .value(value)
        }
    }

    /// A string parsed by `parse`, whose error explains itself and is printed after the value:
    /// `got "city/#/x": level 2 is "#" but is not the last; …`.
    static func parsed<Failure: Error & CustomStringConvertible>(
        _ expected: String, example: String, _ parse: @escaping (String) throws(Failure) -> Value
    ) -> Self {
        ValueSpec(expected: expected, typeName: "a string like \(tomlQuoted(example))") { node in
            guard case .string(let text) = node else { return .wrongType }
            do throws(Failure) {
                return .value(try parse(text))
            } catch {
                return .rejected(reason: error.description)
            }
        }
    }

    /// One of an enumeration's raw values: `one of json, senml, text`.
    static func oneOf(_ type: Value.Type) -> Self where Value: RawRepresentable & CaseIterable, Value.RawValue == String {
        let expected = "one of " + Value.allCases.map(\.rawValue).joined(separator: ", ")
        return .string(expected) { Value(rawValue: $0) }
    }

    /// This spec with an extra rule on the decoded value: `check` returns what was expected
    /// instead, or nil when the value is fine.
    func checked(_ check: @escaping (Value) -> String?) -> Self {
        ValueSpec(expected: expected, typeName: typeName) { node in
            let decoded = decode(node)
            guard case .value(let value) = decoded else { return decoded }
            if let expected = check(value) { return .invalid(expected: expected) }
            return decoded
        }
    }
}

extension ValueSpec<String> {
    /// A string that is not empty, such as a file path or a user name.
    static func nonEmpty(_ expected: String) -> Self {
        .string(expected) { $0.isEmpty ? nil : $0 }
    }

    /// The names of the gateway, sources, hubs and rules: they end up in topics, ids and logs.
    static var name: Self {
        .string("letters, digits, '.', '_', '-' (1 to 64)") { isName($0) ? $0 : nil }
    }

    static func isName(_ text: String) -> Bool {
        (1...64).contains(text.count)
            && text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "_" || $0 == "-") }
    }
}

extension ValueSpec<Duration> {
    /// A duration string within `minimum...maximum` (either may be open).
    static func duration(atLeast minimum: Duration? = nil, atMost maximum: Duration? = nil, example: String)
        -> Self
    {
        ValueSpec.string("a duration like \(tomlQuoted(example))", typeName: "a string like \(tomlQuoted(example))") {
            DurationText.parse($0)
        }
        .checked { value in
            let show = DurationText.format
            switch (minimum, maximum) {
            case (let low?, let high?) where !(low...high).contains(value): return "\(show(low)) to \(show(high))"
            case (let low?, nil) where value < low: return "at least \(show(low))"
            case (nil, let high?) where value > high: return "at most \(show(high))"
            default: return nil
            }
        }
    }
}

extension ValueSpec<Int64> {
    /// A size string like `"512MiB"` (or a TOML integer, in bytes) within `range`.
    static func size(in range: ClosedRange<Int64>, example: String) -> Self {
        let expected = "a size like \(tomlQuoted(example))"
        return ValueSpec(expected: expected, typeName: "a string like \(tomlQuoted(example))") { node in
            switch node {
            case .string(let text): ByteSizeText.parse(text).map(Decoded.value) ?? .invalid(expected: expected)
            case .integer(let bytes): .value(Int64(bytes))
            default: .wrongType
            }
        }
        .checked { value in
            let show = ByteSizeText.format
            if range.contains(value) { return nil }
            return range.upperBound == .max ? "at least \(show(range.lowerBound))"
                : "\(show(range.lowerBound)) to \(show(range.upperBound))"
        }
    }
}

extension ValueSpec<Int> {
    /// A TOML integer within `range`.
    static func integer(in range: ClosedRange<Int>) -> Self {
        let expected = "an integer from \(range.lowerBound) to \(range.upperBound)"
        return ValueSpec(expected: expected, typeName: "an integer") { node in
            guard case .integer(let number) = node else { return .wrongType }
            return range.contains(number) ? .value(number) : .invalid(expected: expected)
        }
    }
}

extension ValueSpec<Double> {
    /// A finite number; a TOML integer counts.
    static var number: Self {
        ValueSpec(expected: "a number", typeName: "a number") { node in
            switch node {
            case .integer(let number): .value(Double(number))
            case .float(let number) where number.isFinite: .value(number)
            case .float: .invalid(expected: "a finite number")
            default: .wrongType
            }
        }
    }
}

/// Why a string was refused, for checks written here rather than in a parser of their own.
struct ValueRejection: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) {
        self.description = description
    }
}

extension ValueSpec<BrokerURL> {
    static var brokerURL: Self {
        let expected = "mqtt://host[:port] or mqtts://host[:port]"
        return ValueSpec(expected: expected, typeName: "a string like \"mqtt://127.0.0.1:1883\"") { node in
            guard case .string(let text) = node else { return .wrongType }
            do throws(BrokerURLError) {
                return .value(try BrokerURL(parsing: text))
            } catch {
                return .invalid(expected: error.expected)
            }
        }
    }
}

extension ValueSpec<TimeOfDayRange> {
    static var timeOfDayRange: Self {
        .string("a local time range like \"01:00-05:00\" (24-hour clock; start and end differ)") {
            TimeOfDayRange(parsing: $0)
        }
    }
}
