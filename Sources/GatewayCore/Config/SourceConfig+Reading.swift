extension SourceConfig {
    static func read(_ table: TableReader) -> SourceConfig {
        var table = table
        let name = table.required("name", .name)
        let url = table.required("url", .brokerURL)
        let topics = table.requiredList("topics", .topicFilter(example: "city/+/+/+/+"), example: "[\"city/+/+/+/+\"]")
        // Missing or bad required values were reported; placeholders let the other keys be checked.
        var source = SourceConfig(
            name: name ?? "", url: url ?? BrokerURL(scheme: .mqtt, host: ""), topics: topics ?? [])

        table.read("template", .topicTemplate, into: &source.template)
        readNameTemplates(&table, into: &source)
        table.read("format", .oneOf(PayloadFormat.self), into: &source.format)
        table.read("value", .jsonPath(example: "value"), into: &source.valuePath)
        // An empty string is how the file says "the payload carries no time".
        table.read("time", .optionalJSONPath(example: "ts"), into: &source.timePath)

        let access = BrokerAccess.read(&table, url: url)
        source.username = access.username
        source.passwordFile = access.passwordFile
        source.caFile = access.caFile
        source.certFile = access.certFile
        source.keyFile = access.keyFile

        table.read("client_id", .nonEmpty("an MQTT client id"), into: &source.clientID)
        table.read("keepalive", keepaliveSpec, into: &source.keepalive)
        table.read("qos", .integer(in: 0...1), into: &source.qos)
        if let bytes = table.optional("max_payload", .size(in: 1 << 10...1 << 20, example: "16KiB")) {
            source.maxPayload = Int(bytes)
        }
        table.read("silence_factor", .integer(in: 2...1000), into: &source.silenceFactor)
        table.read("silence_min", .duration(atLeast: .seconds(1), atMost: .seconds(86_400), example: "2m"), into: &source.silenceMinimum)
        table.read("mqtt_version", .oneOf(MQTTVersion.self), into: &source.mqttVersion)
        table.read("commit_interval", .duration(atLeast: .zero, atMost: .seconds(5), example: "500ms"), into: &source.commitInterval)
        table.finish()
        return source
    }

    /// Checks `sensor` and `metric` against the fields of the template, whether the file sets them
    /// or they keep their defaults: a custom template may not have the fields the defaults use.
    private static func readNameTemplates(_ table: inout TableReader, into source: inout SourceConfig) {
        guard table.areValid("template") else {
            // Nothing to check them against; the template's problem is reported.
            _ = table.node("sensor")
            _ = table.node("metric")
            return
        }
        let template = source.template
        table.read("sensor", .nameTemplate(over: template, example: defaultSensor.pattern), into: &source.sensor)
        table.read("metric", .nameTemplate(over: template, example: defaultMetric.pattern), into: &source.metric)
        for (key, name) in [("sensor", source.sensor), ("metric", source.metric)] where !table.has(key) {
            do throws(TemplateError) {
                _ = try NameTemplate(name.pattern, fieldsOf: template)
            } catch {
                table.reportMissing(key, because: "the default \(tomlQuoted(name.pattern)) does not fit the template: \(error)")
            }
        }
    }

    /// MQTT counts the keepalive in whole seconds.
    private static var keepaliveSpec: ValueSpec<Duration> {
        ValueSpec.duration(atLeast: .seconds(5), atMost: .seconds(3_600), example: "30s").checked { keepalive in
            keepalive.components.attoseconds == 0 ? nil : "whole seconds"
        }
    }
}
