import GatewayCore
import Testing

/// Inputs the libFuzzer targets in tools/fuzz found, each with the promise it broke.
///
/// Topics, filters and name templates are read level by level and brace by brace in their UTF-8
/// bytes, as MQTT defines them. A '/', '+', '#', '{' or '}' followed by a combining mark
/// (U+0301) forms one Character with it, so code that split or searched the text as Characters
/// missed it while the matcher, which reads bytes, did not. Configuration problems promise one
/// line each that names a key.
@Suite("Fuzzing regressions")
struct FuzzRegressionTests {
    @Test("a template level with a wildcard followed by a combining mark is refused")
    func templateWildcardWithCombiningMark() {
        #expect(throws: TemplateError.self) { try TopicTemplate("city/#\u{301}") }
        #expect(throws: TemplateError.self) { try TopicTemplate("city/+\u{301}/{device}") }
    }

    @Test("a '/' followed by a combining mark separates levels in a template, as it does in a topic")
    func templateSlashWithCombiningMark() throws {
        let template = try TopicTemplate("city/\u{301}x/{device}")
        let topic = "city/\u{301}x/meter-1"
        #expect(template.match(topic)?["device"] == "meter-1")
        #expect(template.mismatch(topic) == nil)
        // A topic with one level fewer does not match, and `mismatch` says so too.
        #expect(template.match("city/\u{301}x") == nil)
        #expect(template.mismatch("city/\u{301}x") != nil)
    }

    @Test("a filter level with a wildcard followed by a combining mark is refused")
    func filterWildcardWithCombiningMark() {
        #expect(throws: TemplateError.self) { try TopicFilter("city/+\u{301}/x") }
        #expect(throws: TemplateError.self) { try TopicFilter("city/#\u{301}") }
    }

    @Test("a '/' followed by a combining mark separates levels in a filter")
    func filterSlashWithCombiningMark() throws {
        #expect(try TopicFilter("a/\u{301}").matches("a/\u{301}"))
        #expect(try TopicFilter("a/+").matches("a/\u{301}"))
    }

    @Test("a name template brace followed by a combining mark is a brace, not text")
    func nameTemplateBraceWithCombiningMark() throws {
        let template = try TopicTemplate("caf\u{E9}/{n}")
        #expect(throws: TemplateError.self) { try NameTemplate("{n}/{\u{301}\u{E9}/{n}", fieldsOf: template) }
        #expect(throws: TemplateError.self) { try NameTemplate("x}\u{301}", fieldsOf: template) }
        let name = try NameTemplate("{n}-\u{301}", fieldsOf: template)
        #expect(name.render(try #require(template.match("caf\u{E9}/\u{6C34}"))) == "\u{6C34}-\u{301}")
    }

    @Test("an unknown key that is not a bare key is named as the file quotes it, never as nothing")
    func unknownQuotedKey() {
        let problems = ConfigLoader.parse("'' = ''\n\"gateway.id\" = 1\n", file: "x.toml").problems
        #expect(problems.map(\.key).contains(#""""#))
        #expect(problems.map(\.key).contains(#""gateway.id""#))
        #expect(!problems.contains { $0.key.isEmpty })
    }

    @Test("a problem quoting a control character from the file still prints as one line")
    func controlCharactersInProblems() {
        let filter = """
            [gateway]
            id = "x"

            [[source]]
            name = "local"
            url = "mqtt://127.0.0.1"
            topics = ["city/+\t/x"]
            """
        let syntax = "a = t\u{7F}\n"
        for toml in [filter, syntax] {
            let problems = ConfigLoader.parse(toml, file: "x.toml").problems
            #expect(!problems.isEmpty)
            for problem in problems {
                #expect(!problem.description.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F }, "\(problem)")
            }
        }
        #expect(ConfigLoader.parse(filter, file: "x.toml").problems.first?.message.contains(#"\u0009"#) == true)
    }

    // toml++ 3.4 (inside TOMLKit 0.6, the TOML library before StreetGate's own parser) failed an
    // `assert` on these and aborted the process, so `streetgate check` and `run` died on a typo
    // instead of naming it.

    @Test("a table header without a name is a syntax error, not an abort")
    func headerWithoutName() {
        #expect(
            ConfigLoader.parse("[\n", file: "x.toml").problems == [
                syntaxProblem("found the end of the line, expected a table name", line: 1, column: 2)
            ])
        #expect(
            ConfigLoader.parse("[gateway]\nid = \"x\"\n[[[source]]]\n", file: "x.toml").problems == [
                syntaxProblem("found '[', expected the name of an array of tables", line: 3, column: 3)
            ])
    }

    @Test("a '}' where an array expects a value is a syntax error, not an abort")
    func braceInArray() {
        #expect(
            ConfigLoader.parse("s = [}\n", file: "x.toml").problems == [
                syntaxProblem("found '}', expected a value or ']'", line: 1, column: 6)
            ])
        #expect(
            ConfigLoader.parse("s = [1, # note\n}\n", file: "x.toml").problems == [
                syntaxProblem("found '}', expected a value or ']'", line: 2, column: 1)
            ])
    }

    @Test("a date-time whose time does not start with a digit is a syntax error, not an abort")
    func dateTimeWithoutTime() {
        #expect(
            ConfigLoader.parse("d = 1979-05-27T:00\n", file: "x.toml").problems == [
                syntaxProblem("found ':00', expected a two-digit hour after 'T'", line: 1, column: 16)
            ])
    }

    @Test("a value or time path too long to quote in a failure detail is a configuration problem")
    func longJSONPath() {
        // Failure details quote the path and promise one short line; the fuzzer's file had a
        // value path of 365 bytes, and a payload without it gave a 376-byte detail.
        let longPath = "value" + String(repeating: "\u{FFFD}", count: 120)
        for key in ["value", "time"] {
            let toml = """
                [gateway]
                id = "x"

                [[source]]
                name = "local"
                url = "mqtt://127.0.0.1"
                topics = ["city/#"]
                \(key) = "\(longPath)"
                """
            let problems = ConfigLoader.parse(toml, file: "x.toml").problems
            #expect(problems.map(\.key) == ["source[0].\(key)"])
            #expect(problems.first?.message.hasSuffix("the path is 365 bytes long; expected at most 100") == true)
        }
        #expect(throws: JSONPathError("the path is 101 bytes long; expected at most 100")) {
            try JSONPath(String(repeating: "a", count: 101))
        }
        #expect((try? JSONPath(String(repeating: "a", count: 100))) != nil)
    }

    private func syntaxProblem(_ message: String, line: Int, column: Int) -> ConfigProblem {
        ConfigProblem(file: "x.toml", key: ConfigProblem.syntaxKey, message: message, line: line, column: column)
    }
}
