/// Where an MQTT broker listens: `mqtt://host[:port]` or `mqtts://host[:port]` (`url` in a
/// `[[source]]` or `[[hub]]`).
///
/// The host is a name, an IPv4 address, or an IPv6 address in brackets (`mqtt://[::1]:1883`); the
/// port defaults to 1883 for `mqtt` and 8883 for `mqtts`. Nothing else is accepted (no user, path,
/// or query), because the client has nowhere to put it: credentials have their own keys.
public struct BrokerURL: Sendable, Hashable, CustomStringConvertible {
    public enum Scheme: String, Sendable, CaseIterable {
        /// Plain TCP.
        case mqtt
        /// TLS.
        case mqtts

        /// The IANA-registered port for the scheme.
        public var defaultPort: Int {
            switch self {
            case .mqtt: 1883
            case .mqtts: 8883
            }
        }
    }

    public var scheme: Scheme
    /// The host name or address, without brackets for IPv6.
    public var host: String
    public var port: Int

    public init(scheme: Scheme, host: String, port: Int? = nil) {
        self.scheme = scheme
        self.host = host
        self.port = port ?? scheme.defaultPort
    }

    /// Reads `text`, or says in a few words what is wrong with it (to follow "expected …").
    public init(parsing text: String) throws(BrokerURLError) {
        guard let separator = text.firstRange(of: "://") else { throw .init("mqtt://host[:port] or mqtts://host[:port]") }
        guard let scheme = Scheme(rawValue: String(text[..<separator.lowerBound])) else {
            throw .init("a url starting with mqtt:// or mqtts://")
        }
        let authority = text[separator.upperBound...]
        guard !authority.contains(where: { "/?#@".contains($0) }) else {
            throw .init("only a host and a port after \(scheme.rawValue):// (no user, path or query)")
        }
        let (host, portText) = try Self.split(authority)
        var port: Int?
        if let portText {
            guard portText.allSatisfy({ $0.isASCII && $0.isNumber }), let number = Int(portText),
                (1...65_535).contains(number)
            else { throw .init("a port from 1 to 65535") }
            port = number
        }
        self.init(scheme: scheme, host: host, port: port)
    }

    /// `mqtt://host:port`, with brackets around an IPv6 host; reads back as the same value.
    public var description: String {
        let shownHost = host.contains(":") ? "[\(host)]" : host
        return "\(scheme.rawValue)://\(shownHost):\(port)"
    }

    /// Splits `host[:port]` or `[v6]:port` into host and port text.
    private static func split(_ authority: Substring) throws(BrokerURLError) -> (String, Substring?) {
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { throw .init("a closing ']' after an IPv6 address") }
            let host = authority[authority.index(after: authority.startIndex)..<close]
            guard !host.isEmpty, host.allSatisfy({ $0.isHexDigit || $0 == ":" || $0 == "." }), host.contains(":")
            else { throw .init("an IPv6 address in brackets, like [::1]") }
            let rest = authority[authority.index(after: close)...]
            if rest.isEmpty { return (String(host), nil) }
            guard rest.hasPrefix(":") else { throw .init("':' and a port after the IPv6 address") }
            return (String(host), rest.dropFirst())
        }
        let parts = authority.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count <= 2 else { throw .init("an IPv6 address in brackets, like [::1]") }
        let host = parts[0]
        guard isHostName(host) else { throw .init("a host name or address after the scheme") }
        return (String(host), parts.count == 2 ? parts[1] : nil)
    }

    /// Letters, digits, '-' and '.', as DNS names and IPv4 addresses are written.
    private static func isHostName(_ host: Substring) -> Bool {
        !host.isEmpty && host.count <= 253
            && host.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == ".") }
            && !host.hasPrefix(".") && !host.hasPrefix("-")
    }
}

/// Why a text is not a `BrokerURL`, as what was expected instead.
public struct BrokerURLError: Error, Sendable, Equatable, CustomStringConvertible {
    public var expected: String
    public var description: String { "expected \(expected)" }

    init(_ expected: String) {
        self.expected = expected
    }
}
