import Testing

@testable import GatewayCore

@Suite("Problems in a configuration file")
struct ConfigProblemTests {
    typealias F = ConfigFixture

    /// The problems with `minimal` whose `topics` line is `topics`.
    static func problems(topics: String) -> [String] {
        F.problems(F.minimal.replacing("topics = [\"city/+/+/+/+\"]", with: topics))
    }

    @Test("a value outside a fixed set names the set")
    func badFormat() {
        #expect(
            F.problems(addingTo: "format = \"xml\"")
                == [F.line("source[0].format", "got \"xml\", expected one of json, senml, text")])
    }

    @Test("a missing gateway id says what an id looks like")
    func missingID() {
        let toml = F.minimal.replacing("id = \"fes-medina-01\"", with: "")
        #expect(
            F.problems(toml)
                == [F.line("gateway.id", "missing; expected letters, digits, '.', '_', '-' (1 to 64)")])
    }

    @Test("a missing [gateway] section is a missing gateway id")
    func missingGatewaySection() {
        let toml = F.minimal.replacing("[gateway]\nid = \"fes-medina-01\"", with: "")
        #expect(F.problems(toml) == [F.line("gateway.id", "missing; expected letters, digits, '.', '_', '-' (1 to 64)")])
    }

    @Test("an id with other characters or of 65 is refused", arguments: ["fes medina", "fès", "", String(repeating: "a", count: 65)])
    func badID(id: String) {
        let toml = F.minimal.replacing("id = \"fes-medina-01\"", with: "id = \(tomlQuoted(id))")
        #expect(F.problems(toml) == [F.line("gateway.id", "got \(tomlQuoted(id)), expected letters, digits, '.', '_', '-' (1 to 64)")])
    }

    @Test("a bad duration says what a duration looks like")
    func badDuration() {
        #expect(
            F.problems(addingTo: "[buffer]\nretention = \"2 weeks\"")
                == [F.line("buffer.retention", "got \"2 weeks\", expected a duration like \"14d\"")])
    }

    @Test("a duration out of bounds names the bounds")
    func durationBounds() {
        #expect(
            F.problems(addingTo: "[buffer]\nretention = \"30m\"")
                == [F.line("buffer.retention", "got \"30m\", expected at least 1h")])
        #expect(
            F.problems(addingTo: "keepalive = \"2h\"")
                == [F.line("source[0].keepalive", "got \"2h\", expected 5s to 1h")])
        #expect(
            F.problems(addingTo: "keepalive = \"5500ms\"")
                == [F.line("source[0].keepalive", "got \"5500ms\", expected whole seconds")])
    }

    @Test("a bad size says what a size looks like")
    func badSize() {
        #expect(
            F.problems(addingTo: "[buffer]\nmax_size = \"lots\"")
                == [F.line("buffer.max_size", "got \"lots\", expected a size like \"512MiB\"")])
    }

    @Test("a size out of bounds names the bounds")
    func sizeBounds() {
        #expect(
            F.problems(addingTo: "[buffer]\nmax_size = \"1MiB\"")
                == [F.line("buffer.max_size", "got \"1MiB\", expected at least 16MiB")])
        #expect(
            F.problems(addingTo: "max_payload = \"2MiB\"")
                == [F.line("source[0].max_payload", "got \"2MiB\", expected 1KiB to 1MiB")])
    }

    @Test("an integer out of bounds names the bounds")
    func integerBounds() {
        #expect(
            F.problems(addingTo: "qos = 2")
                == [F.line("source[0].qos", "got 2, expected an integer from 0 to 1")])
        #expect(
            F.problems(addingTo: "[buffer]\ndead_letters = 0")
                == [F.line("buffer.dead_letters", "got 0, expected an integer from 1 to 1000000")])
    }

    @Test("an unknown key is reported with the keys that table knows")
    func unknownKey() {
        #expect(
            F.problems(addingTo: "[aggregate]\nwindw = \"1m\"")
                == [F.line("aggregate.windw", "unknown key (did you mean window?); expected one of window, grace")])
    }

    @Test("an unknown section is reported like an unknown key")
    func unknownSection() {
        #expect(
            F.problems(addingTo: "[[sources]]\nname = \"x\"")
                == [F.line("sources", "unknown key (did you mean source?); expected one of gateway, buffer, source, aggregate, hub, rule")])
    }

    @Test("a value of the wrong type says which type was expected")
    func wrongType() {
        #expect(
            F.problems(addingTo: "keepalive = 30")
                == [F.line("source[0].keepalive", "got an integer, expected a string like \"30s\"")])
        #expect(
            F.problems(addingTo: "qos = \"1\"")
                == [F.line("source[0].qos", "got a string, expected an integer")])
        #expect(
            Self.problems(topics: "topics = \"city/#\"").contains(
                F.line("source[0].topics", "got a string, expected an array of strings like [\"city/+/+/+/+\"]")))
    }

    @Test("a section of the wrong kind says how to write it")
    func wrongSectionType() {
        #expect(F.problems(addingTo: "[hub]\nname = \"x\"") == [F.line("hub", "got a table, expected an array of tables, written [[hub]]")])
        #expect(F.problems("buffer = 1\n" + F.minimal) == [F.line("buffer", "got an integer, expected a table, written [buffer]")])
    }

    @Test("two sources with one name are reported at the second")
    func duplicateSourceName() {
        let second = "[[source]]\nname = \"local\"\nurl = \"mqtt://10.0.0.2\"\ntopics = [\"#\"]"
        #expect(
            F.problems(addingTo: second)
                == [F.line("source[1].name", "got \"local\", expected a name not already used by source[0]")])
    }

    @Test("blocks written inline are counted like [[source]] blocks, non-tables included")
    func inlineBlocks() {
        let toml = """
            source = [1, {name = "a", url = "mqtt://h", topics = ["#"]}, {name = "a", url = "mqtt://h", topics = ["#"]}]
            [gateway]
            id = "gw"
            """
        #expect(
            F.problems(toml) == [
                F.line("source[0]", "got an integer, expected a table"),
                F.line("source[2].name", "got \"a\", expected a name not already used by source[1]"),
            ])
    }

    @Test("hubs and rules need unique names too")
    func duplicateHubAndRuleNames() {
        let hubs = "[[hub]]\nname = \"a\"\nurl = \"mqtt://h\"\n[[hub]]\nname = \"a\"\nurl = \"mqtt://h\""
        #expect(F.problems(addingTo: hubs) == [F.line("hub[1].name", "got \"a\", expected a name not already used by hub[0]")])
        let rules = """
            [[rule]]
            name = "r"
            metric = "m"
            when = "silent"
            for = "1h"
            [[rule]]
            name = "r"
            metric = "m"
            when = "silent"
            for = "1h"
            """
        #expect(F.problems(addingTo: rules) == [F.line("rule[1].name", "got \"r\", expected a name not already used by rule[0]")])
    }

    @Test("at least one source is required")
    func noSource() {
        #expect(
            F.problems("[gateway]\nid = \"gw\"")
                == [F.line("source", "missing; expected at least one [[source]] block")])
    }

    @Test("a source's required keys are reported missing")
    func sourceRequiredKeys() {
        #expect(
            F.problems("[gateway]\nid = \"gw\"\n[[source]]")
                == [
                    F.line("source[0].name", "missing; expected letters, digits, '.', '_', '-' (1 to 64)"),
                    F.line("source[0].url", "missing; expected mqtt://host[:port] or mqtts://host[:port]"),
                    F.line("source[0].topics", "missing; expected an array of strings like [\"city/+/+/+/+\"]"),
                ])
    }

    @Test("a bad topic filter is reported at its index, in the filter parser's words")
    func badTopicFilter() {
        #expect(
            Self.problems(topics: "topics = [\"city/#\", \"city/#/x\", 7]") == [
                F.line("source[0].topics[1]", "got \"city/#/x\": level 2 is \"#\" but is not the last; \"#\" must be the last level of a filter"),
                F.line("source[0].topics[2]", "got an integer, expected a string like \"city/+/+/+/+\""),
            ])
        #expect(
            Self.problems(topics: "topics = []")
                == [F.line("source[0].topics", "got an empty array, expected an array of strings like [\"city/+/+/+/+\"]")])
    }

    @Test("sensor and metric may only use the template's fields, even at their defaults")
    func nameTemplateFields() {
        #expect(
            F.problems(addingTo: "template = \"m/{site}/{metric}\"") == [
                F.line(
                    "source[0].sensor",
                    "missing; the default \"{city}/{domain}/{device}\" does not fit the template: "
                        + "unknown field {city}; the template names site, metric")
            ])
        #expect(
            F.problems(addingTo: "sensor = \"{city}/{room}\"") == [
                F.line(
                    "source[0].sensor",
                    "got \"{city}/{room}\": unknown field {room}; the template names city, domain, device, metric")
            ])
    }

    @Test("a bad template is reported once, not again through sensor and metric")
    func badTemplate() {
        let problems = F.problems(addingTo: "template = \"city/+/{x}\"\nsensor = \"{nope}\"")
        #expect(problems.count == 1)
        #expect(problems.first?.hasPrefix(F.line("source[0].template", "got \"city/+/{x}\": level 2 \"+\" has an MQTT wildcard")) == true)
    }

    @Test("a JSON path has no empty parts, and time may be empty to mean none")
    func jsonPaths() {
        #expect(
            F.problems(addingTo: "value = \"a..b\"")
                == [F.line("source[0].value", "got \"a..b\": segment 2 of \"a..b\" is empty; expected keys separated by single dots")])
        #expect(F.problems(addingTo: "value = \"\"").first?.hasPrefix(F.line("source[0].value", "got \"\": the path is empty")) == true)
        #expect(ConfigLoader.parse(F.minimal + "\ntime = \"\"", file: "x").config?.sources.first?.timePath == nil)
    }

    @Test("a rule's clear level on the wrong side of the threshold is refused")
    func clearOnTheWrongSide() {
        let above = "[[rule]]\nname = \"r\"\nmetric = \"m\"\nwhen = \"above\"\nthreshold = 2.0\nclear = 2.5"
        #expect(
            F.problems(addingTo: above)
                == [F.line("rule[0].clear", "got 2.5, expected at most the threshold (2.0) for when = \"above\"")])
        let below = "[[rule]]\nname = \"r\"\nmetric = \"m\"\nwhen = \"below\"\nthreshold = 2.0\nclear = 1.0"
        #expect(
            F.problems(addingTo: below)
                == [F.line("rule[0].clear", "got 1.0, expected at least the threshold (2.0) for when = \"below\"")])
    }

    @Test("clear is only for above and below")
    func clearOnRate() {
        let rule = "[[rule]]\nname = \"r\"\nmetric = \"m\"\nwhen = \"rate\"\nthreshold = 1\nclear = 0.5"
        #expect(
            F.problems(addingTo: rule)
                == [F.line("rule[0].clear", "got 0.5, expected no clear with when = \"rate\" (only above and below clear at another level)")])
    }

    @Test("silent and flatline need for; above needs a threshold; silent takes none")
    func conditionKeys() {
        #expect(
            F.problems(addingTo: "[[rule]]\nname = \"r\"\nmetric = \"m\"\nwhen = \"silent\"")
                == [F.line("rule[0].for", "missing; expected a duration like \"15m\" for when = \"silent\" (how long no reading comes)")])
        #expect(
            F.problems(addingTo: "[[rule]]\nname = \"r\"\nmetric = \"m\"\nwhen = \"above\"")
                == [F.line("rule[0].threshold", "missing; expected a number for when = \"above\" (the level)")])
        #expect(
            F.problems(addingTo: "[[rule]]\nname = \"r\"\nmetric = \"m\"\nwhen = \"flatline\"\nfor = \"1h\"\nthreshold = 3")
                == [F.line("rule[0].threshold", "got 3.0, expected no threshold with when = \"flatline\"")])
        #expect(
            F.problems(addingTo: "[[rule]]\nname = \"r\"\nmetric = \"m\"\nwhen = \"outlier\"\nthreshold = 0")
                == [F.line("rule[0].threshold", "got 0.0, expected a number above 0 for when = \"outlier\" (how many standard deviations)")])
    }

    @Test("a rule needs a name, a metric and a condition")
    func ruleRequiredKeys() {
        #expect(
            F.problems(addingTo: "[[rule]]\nwhen = \"sometimes\"")
                == [
                    F.line("rule[0].name", "missing; expected letters, digits, '.', '_', '-' (1 to 64)"),
                    F.line("rule[0].metric", "missing; expected a metric name like \"flow\""),
                    F.line("rule[0].when", "got \"sometimes\", expected one of above, below, rate, flatline, silent, outlier"),
                ])
    }

    @Test("a bad during says what a time range looks like", arguments: ["01:00-01:00", "1am-5am", "25:00-01:00"])
    func badDuring(during: String) {
        let rule = "[[rule]]\nname = \"r\"\nmetric = \"m\"\nwhen = \"silent\"\nfor = \"1h\"\nduring = \(tomlQuoted(during))"
        #expect(
            F.problems(addingTo: rule)
                == [F.line("rule[0].during", "got \(tomlQuoted(during)), expected a local time range like \"01:00-05:00\" (24-hour clock; start and end differ)")])
    }

    @Test("a window that does not divide a day is refused")
    func windowNotDividingADay() {
        #expect(
            F.problems(addingTo: "[aggregate]\nwindow = \"7m\"")
                == [F.line("aggregate.window", "got \"7m\", expected whole seconds that divide 24h evenly, like 1m, 5m, 15m or 1h")])
        #expect(
            F.problems(addingTo: "[aggregate]\nwindow = \"500ms\"\ngrace = \"0s\"")
                == [F.line("aggregate.window", "got \"500ms\", expected at least 1s")])
        #expect(
            F.problems(addingTo: "[aggregate]\nwindow = \"1500ms\"\ngrace = \"0s\"")
                == [F.line("aggregate.window", "got \"1500ms\", expected whole seconds that divide 24h evenly, like 1m, 5m, 15m or 1h")])
    }

    @Test("grace must be shorter than the window")
    func graceNotBelowWindow() {
        #expect(
            F.problems(addingTo: "[aggregate]\nwindow = \"1m\"\ngrace = \"1m\"")
                == [F.line("aggregate.grace", "got \"1m\", expected less than the window (1m)")])
        #expect(
            F.problems(addingTo: "[aggregate]\ngrace = \"2m\"")
                == [F.line("aggregate.grace", "got \"2m\", expected less than the window (1m)")])
    }

    @Test("a bad window does not also make grace wrong")
    func noCascadeFromWindow() {
        #expect(F.problems(addingTo: "[aggregate]\nwindow = \"7s\"\ngrace = \"5s\"").count == 1)
    }

    @Test("a client certificate needs its key, and the key its certificate")
    func certWithoutKey() {
        let url = "mqtts://127.0.0.1"
        let toml = F.minimal.replacing("mqtt://127.0.0.1:1883", with: url)
        #expect(
            F.problems(toml + "\ncert_file = \"/etc/gw.pem\"")
                == [F.line("source[0].key_file", "missing; expected the client key's file path alongside cert_file")])
        #expect(
            F.problems(toml + "\nkey_file = \"/etc/gw.key\"")
                == [F.line("source[0].cert_file", "missing; expected the client certificate's file path alongside key_file")])
    }

    @Test("TLS files with a plain mqtt:// url are refused")
    func tlsFileWithoutTLS() {
        #expect(
            F.problems(addingTo: "ca_file = \"/etc/ca.pem\"")
                == [F.line("source[0].ca_file", "got \"/etc/ca.pem\", expected no TLS file with an mqtt:// url (use mqtts://)")])
    }

    @Test("a password file needs a user name")
    func passwordWithoutUser() {
        #expect(
            F.problems(addingTo: "password_file = \"/etc/pw\"")
                == [F.line("source[0].username", "missing; expected a user name alongside password_file")])
    }

    @Test("a url with another scheme names the accepted ones")
    func badURLScheme() {
        let toml = F.minimal.replacing("mqtt://127.0.0.1:1883", with: "http://127.0.0.1:1883")
        #expect(
            F.problems(toml)
                == [F.line("source[0].url", "got \"http://127.0.0.1:1883\", expected a url starting with mqtt:// or mqtts://")])
        #expect(
            F.problems(addingTo: "[[hub]]\nname = \"h\"\nurl = \"mqtt://hub:99999\"")
                == [F.line("hub[0].url", "got \"mqtt://hub:99999\", expected a port from 1 to 65535")])
    }

    @Test(
        "a hub topic prefix takes only {gateway} and no wildcards",
        arguments: ["city/+", "city/#", "{gateway}/{id}", "$SYS/x", "city/", "", "a//b"])
    func badTopicPrefix(prefix: String) {
        let problems = F.problems(addingTo: "[[hub]]\nname = \"h\"\nurl = \"mqtt://hub\"\ntopic_prefix = \(tomlQuoted(prefix))")
        #expect(problems.count == 1)
        #expect(problems.first?.hasPrefix(F.line("hub[0].topic_prefix", "got \(tomlQuoted(prefix)): ")) == true)
    }

    @Test("a timezone and a log level are checked")
    func timezoneAndLogLevel() {
        let toml = F.minimal.replacing(
            "id = \"fes-medina-01\"", with: "id = \"fes-medina-01\"\ntimezone = \"Africa / Casablanca\"\nlog_level = \"verbose\"")
        #expect(
            F.problems(toml) == [
                F.line("gateway.timezone", "got \"Africa / Casablanca\", expected an IANA time zone name like \"Africa/Casablanca\""),
                F.line("gateway.log_level", "got \"verbose\", expected one of trace, debug, info, notice, warning, error, critical"),
            ])
    }

    @Test("every problem in a file is reported, in the order of the file's sections")
    func multipleProblems() {
        let toml = """
            [gateway]
            log_level = "loud"

            [buffer]
            sync = "always"

            [[source]]
            name = "local"
            url = "tcp://broker"
            topics = ["city/+/+/+/+"]
            fromat = "json"

            [aggregate]
            window = "7m"

            [[rule]]
            name = "r"
            metric = "flow"
            when = "silent"
            """
        #expect(
            F.problems(toml) == [
                F.line("gateway.id", "missing; expected letters, digits, '.', '_', '-' (1 to 64)"),
                F.line("gateway.log_level", "got \"loud\", expected one of trace, debug, info, notice, warning, error, critical"),
                F.line("buffer.sync", "got \"always\", expected one of normal, full"),
                F.line("source[0].url", "got \"tcp://broker\", expected a url starting with mqtt:// or mqtts://"),
                F.line(
                    "source[0].fromat",
                    "unknown key (did you mean format?); expected one of name, url, topics, template, sensor, metric, "
                        + "format, value, time, username, password_file, ca_file, cert_file, key_file, client_id, "
                        + "keepalive, qos, max_payload, silence_factor, silence_min, mqtt_version, commit_interval"),
                F.line("aggregate.window", "got \"7m\", expected whole seconds that divide 24h evenly, like 1m, 5m, 15m or 1h"),
                F.line("rule[0].for", "missing; expected a duration like \"15m\" for when = \"silent\" (how long no reading comes)"),
            ])
    }

    @Test("a syntax error is one problem with its line and column")
    func syntaxError() throws {
        let toml = "[gateway]\nid = \"gw\"\nlog_level info\n"
        let problems = ConfigLoader.parse(toml, file: F.file).problems
        let problem = try #require(problems.first)
        #expect(problems.count == 1)
        #expect(problem.key == "(syntax)")
        #expect(problem.line == 3)
        #expect(problem.description.hasPrefix("\(F.file):3:"))
    }

    @Test("a NUL byte is a syntax error, not the end of the file")
    func nulByte() {
        let problems = ConfigLoader.parse("[gateway]\nid = \"gw\"\0\n", file: F.file).problems
        #expect(problems == [ConfigProblem(file: F.file, key: "(syntax)", message: "a NUL byte; expected UTF-8 text", line: 2, column: 10)])
    }

    @Test("a key set twice is a syntax error")
    func duplicateKey() throws {
        let problems = ConfigLoader.parse(F.minimal + "\nname = \"again\"", file: F.file).problems
        #expect(problems.count == 1)
        #expect(problems.first?.key == "(syntax)")
        #expect(problems.first?.line == 8)
    }

    @Test("a problem prints as file, key and message on one line")
    func description() {
        let problem = ConfigProblem(file: "/etc/x.toml", key: "hub[1].url", message: "missing; expected mqtt://host")
        #expect(problem.description == "/etc/x.toml: hub[1].url: missing; expected mqtt://host")
        let syntax = ConfigProblem(file: "a.toml", key: "(syntax)", message: "expected '='", line: 4, column: 9)
        #expect(syntax.description == "a.toml:4:9: (syntax): expected '='")
    }
}
