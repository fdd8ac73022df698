/// What `ConfigLoader.parse` found: a configuration ready to run, or every problem in the file.
public enum ConfigResult: Sendable, Equatable {
    case valid(GatewayConfig)
    /// Never empty; in the order of the file's sections, then of the keys within them.
    case invalid([ConfigProblem])

    public var config: GatewayConfig? {
        if case .valid(let config) = self { config } else { nil }
    }

    public var problems: [ConfigProblem] {
        if case .invalid(let problems) = self { problems } else { [] }
    }
}
