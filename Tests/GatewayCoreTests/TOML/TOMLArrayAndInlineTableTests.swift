import Testing

@testable import GatewayCore

/// Arrays over several lines with comments, and inline tables on one line, complete as written.
@Suite("TOML arrays and inline tables")
struct TOMLArrayAndInlineTableTests {
    @Test("arrays take values of mixed kinds, nested arrays, line ends, comments and a trailing comma")
    func arrays() throws {
        let text = """
            empty = []
            numbers = [ 0.1, 0.2, 0.5, 1, 2, 5 ]
            nested = [ [ 1, 2 ], ["a", 'b', \"""c\"""], [] ]
            mixed = [ "all", 'strings', 1979-05-27, { x = 1 }, true ]
            spread = [ # the first comment
              1,
              # a comment on a line of its own
              2, # after a value

            ]
            crlf = [\r\n  "x",\r\n]
            """
        #expect(
            try TOMLTesting.parse(text) == [
                "empty": .array([]),
                "numbers": .array([.float(0.1), .float(0.2), .float(0.5), .integer(1), .integer(2), .integer(5)]),
                "nested": .array([
                    .array([.integer(1), .integer(2)]), .array([.string("a"), .string("b"), .string("c")]), .array([]),
                ]),
                "mixed": .array([
                    .string("all"), .string("strings"), .dateOrTime(kind: "a date"), .table(["x": .integer(1)]),
                    .boolean(true),
                ]),
                "spread": .array([.integer(1), .integer(2)]),
                "crlf": .array([.string("x")]),
            ])
    }

    @Test("inline tables take dotted keys, nested inline tables and arrays that span lines")
    func inlineTables() throws {
        let text = """
            name = { first = "Tom", last = "Preston-Werner" }
            point = {x=1,y=2}
            empty = {  }
            animal = { type.name = "pug", type.size = "small" }
            nested = { a = { b = { c = [1, {d = true}] } } }
            spread = { list = [
              1, # a comment inside the array
            ] }
            """
        #expect(
            try TOMLTesting.parse(text) == [
                "name": .table(["first": .string("Tom"), "last": .string("Preston-Werner")]),
                "point": .table(["x": .integer(1), "y": .integer(2)]),
                "empty": .table([:]),
                "animal": .table(["type": .table(["name": .string("pug"), "size": .string("small")])]),
                "nested": .table([
                    "a": .table(["b": .table(["c": .array([.integer(1), .table(["d": .boolean(true)])])])])
                ]),
                "spread": .table(["list": .array([.integer(1)])]),
            ])
    }

    @Test("arrays and inline tables nest up to 64 levels, and no deeper")
    func depthLimit() throws {
        let deepest = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
        var expected = TOMLNode.array([])
        for _ in 1..<64 { expected = .array([expected]) }
        #expect(try TOMLTesting.parse("a = \(deepest)") == ["a": expected])

        let tooDeep = InvalidTOML(
            "a = " + String(repeating: "[", count: 100_000), 1, 69,
            "found tables and arrays nested 65 levels deep, expected at most 64")
        tooDeep.check()
        let tooDeepTables = InvalidTOML(
            "a = " + String(repeating: "{b=", count: 100_000), 1, 197,
            "found tables and arrays nested 65 levels deep, expected at most 64")
        tooDeepTables.check()
    }

    static let invalid: [InvalidTOML] = [
        InvalidTOML("s = [}", 1, 6, "found '}', expected a value or ']'"),
        InvalidTOML("s = [1, }", 1, 9, "found '}', expected a value or ']'"),
        InvalidTOML("s = [ # note\n}", 2, 1, "found '}', expected a value or ']'"),
        InvalidTOML("s = [1,,2]", 1, 8, "found ',', expected a value or ']'"),
        InvalidTOML("s = [,]", 1, 6, "found ',', expected a value or ']'"),
        InvalidTOML("s = [1 2]", 1, 8, "found '2', expected ',' or ']' after the array's value"),
        InvalidTOML(
            "s = [1,\n2,\n", 3, 1, "found the end of the file, expected ']' to close the array opened on line 1"),
        InvalidTOML("s = [1] 2", 1, 9, "found '2', expected the end of the line after the value of s"),
        InvalidTOML(
            "t = {a = 1,}", 1, 12, "found '}', expected a key (an inline table has no ',' after its last value)"),
        InvalidTOML(
            "t = {a = 1\n}", 1, 11, "found the end of the line, expected ',' or '}' (an inline table stays on one line)"
        ),
        InvalidTOML(
            "t = {\na = 1}", 1, 6,
            "found the end of the line, expected a key or '}' (an inline table stays on one line)"),
        InvalidTOML("t = {a = 1 b = 2}", 1, 12, "found 'b', expected ',' or '}' (an inline table stays on one line)"),
        InvalidTOML(
            "t = {a = 1, a = 2}", 1, 13,
            "found key a, but a is already an integer set on line 1; expected each key once per table"),
        InvalidTOML(
            "t = {a = {b = 1}, a.c = 2}", 1, 19,
            "found a.c, but a is already an inline table set on line 1 (complete as written); expected a table"),
        InvalidTOML(
            "t = {a.b = 1, a.b.c = 2}", 1, 17,
            "found a.b.c, but a.b is already an integer set on line 1; expected a table"),
        InvalidTOML(
            "t = {a = 1 # note\n}", 1, 12, "found '#', expected ',' or '}' (an inline table stays on one line)"),
    ]

    @Test("malformed arrays and inline tables are named with their line and column", arguments: invalid)
    func invalidArrays(_ invalid: InvalidTOML) {
        invalid.check()
    }
}
