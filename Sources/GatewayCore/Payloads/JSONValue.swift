/// A JSON value as `JSONParser` produces it.
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)

    /// "a number", "an object", …: for messages that say what was found instead.
    public var kindDescription: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}

/// A JSON object's members in document order.
///
/// Payload objects have a handful of keys, so a small array scanned linearly is faster than a
/// dictionary and keeps the order. Duplicate keys are kept as sent; lookups take the last one,
/// as most JSON parsers do.
public struct JSONObject: Sendable, Equatable {
    public struct Member: Sendable, Equatable {
        public var key: String
        public var value: JSONValue

        public init(key: String, value: JSONValue) {
            self.key = key
            self.value = value
        }
    }

    public var members: [Member]

    public init(members: [Member]) {
        self.members = members
    }

    /// The value of the last member called `key`.
    public subscript(key: String) -> JSONValue? {
        members.last { $0.key == key }?.value
    }
}
