/// Turns the text of `streetgate.toml` into a `GatewayConfig`, or into the list of everything
/// wrong with it.
public enum ConfigLoader {
    /// Parses and checks `toml`.
    ///
    /// - Parameters:
    ///   - file: the file's name as the user should see it in problems.
    ///   - environment: the process environment; `STATE_DIRECTORY` sets the default `data_dir`.
    public static func parse(_ toml: String, file: String, environment: [String: String] = [:]) -> ConfigResult {
        let root: [String: TOMLNode]
        do throws(TOMLSyntaxError) {
            root = try TOMLNode.parseDocument(toml)
        } catch {
            let problem = ConfigProblem(
                file: file, key: ConfigProblem.syntaxKey, message: error.message, line: error.line, column: error.column)
            return .invalid([problem])
        }
        let log = ProblemLog(file: file)
        var reader = TableReader(root, path: "", log: log)

        let gateway = reader.table("gateway").map { GatewaySettings.read($0, environment: environment) }
        let buffer = reader.table("buffer").map(BufferConfig.read)
        let sources = readBlocks("source", &reader, SourceConfig.read, name: \.name)
        if sources?.isEmpty == true { log.missing("source", expected: "at least one [[source]] block") }
        let aggregate = reader.table("aggregate").map(AggregateConfig.read)
        let hubs = readBlocks("hub", &reader, HubConfig.read, name: \.name)
        let rules = readBlocks("rule", &reader, RuleConfig.read, name: \.name)
        reader.finish()

        guard log.problems.isEmpty, let gateway, let buffer, let sources, let aggregate, let hubs, let rules else {
            return .invalid(log.problems)
        }
        return .valid(
            GatewayConfig(
                gateway: gateway, buffer: buffer, sources: sources, aggregate: aggregate, hubs: hubs, rules: rules))
    }

    /// Reads each `[[key]]` block with `read`, then reports each name that an earlier block
    /// already has: names identify hub cursors, alert ids and log lines, so they must differ.
    private static func readBlocks<Block>(
        _ key: String, _ reader: inout TableReader, _ read: (TableReader) -> Block, name: (Block) -> String
    ) -> [Block]? {
        guard let tables = reader.arrayOfTables(key) else { return nil }
        let blocks = tables.map(read)
        var firstPath: [String: String] = [:]
        for (table, block) in zip(tables, blocks) {
            // An empty name stands for a missing or bad one, which was reported already.
            let blockName = name(block)
            guard !blockName.isEmpty else { continue }
            if let first = firstPath[blockName] {
                table.reportDuplicate("name", got: tomlQuoted(blockName), firstUsedBy: first)
            } else {
                firstPath[blockName] = table.path
            }
        }
        return blocks
    }
}
