extension HubConfig {
    static func read(_ table: TableReader) -> HubConfig {
        var table = table
        let name = table.required("name", .name)
        let url = table.required("url", .brokerURL)
        // Missing or bad required values were reported; placeholders let the other keys be checked.
        var hub = HubConfig(name: name ?? "", url: url ?? BrokerURL(scheme: .mqtt, host: ""))
        table.read("topic_prefix", topicPrefixSpec, into: &hub.topicPrefix)

        let access = BrokerAccess.read(&table, url: url)
        hub.username = access.username
        hub.passwordFile = access.passwordFile
        hub.caFile = access.caFile
        hub.certFile = access.certFile
        hub.keyFile = access.keyFile

        table.read("max_batch", .integer(in: 1...10_000), into: &hub.maxBatch)
        table.read("max_inflight", .integer(in: 1...1_000), into: &hub.maxInflight)
        table.finish()
        return hub
    }

    /// The prefix is a plain topic (the uplink appends `/aggregates`, `/alerts`, …) in which only
    /// `{gateway}` is replaced.
    private static var topicPrefixSpec: ValueSpec<String> {
        .parsed("a topic prefix like \"streetgate/{gateway}\"", example: "streetgate/{gateway}") {
            prefix throws(ValueRejection) in
            if let problem = topicPrefixProblem(prefix) { throw ValueRejection(problem) }
            return prefix
        }
    }

    private static func topicPrefixProblem(_ prefix: String) -> String? {
        let literal = prefix.replacing(gatewayPlaceholder, with: "")
        if prefix.isEmpty { return "the prefix is empty; expected a topic such as \"streetgate/{gateway}\"" }
        if prefix.contains(where: { $0 == "+" || $0 == "#" }) { return "\"+\" and \"#\" are for filters; a prefix is a plain topic" }
        if literal.contains(where: { $0 == "{" || $0 == "}" }) { return "{gateway} is the only placeholder" }
        if prefix.hasPrefix("$") { return "topics starting with \"$\" are the broker's own" }
        if prefix.hasSuffix("/") { return "it ends with \"/\"; the uplink adds \"/aggregates\" and the rest itself" }
        if prefix.hasPrefix("/") || prefix.contains("//") { return "it has an empty topic level" }
        if prefix.utf8.contains(0) { return "it contains a NUL character" }
        return nil
    }
}
