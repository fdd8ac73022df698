import Testing

@testable import GatewayCore

/// What every document shares: keys, comments, whitespace, line ends and the byte-order mark.
@Suite("TOML documents")
struct TOMLDocumentTests {
    @Test("an empty document, or one of comments and blank lines, is an empty table")
    func emptyDocuments() throws {
        #expect(try TOMLTesting.parse("") == [:])
        #expect(try TOMLTesting.parse("# only a comment") == [:])
        #expect(try TOMLTesting.parse("\n  \t\n# one\r\n\n   # two\n") == [:])
    }

    @Test("keys may be bare, quoted, literal, empty when quoted, and dotted with spaces around the dots")
    func keys() throws {
        let text = """
            bare_key-1 = 1
            1234 = 2
            "127.0.0.1" = 3
            "character encoding" = 4
            "ʎǝʞ" = 5
            'key2' = 6
            'quoted "value"' = 7
            "" = 8
            "\\u00E9t\\u00E9" = 9
            site . "google.com" . x = 10
            true = 11
            """
        #expect(
            try TOMLTesting.parse(text) == [
                "bare_key-1": .integer(1), "1234": .integer(2), "127.0.0.1": .integer(3),
                "character encoding": .integer(4),
                "ʎǝʞ": .integer(5), "key2": .integer(6), #"quoted "value""#: .integer(7), "": .integer(8),
                "\u{E9}t\u{E9}": .integer(9),
                "site": .table(["google.com": .table(["x": .integer(10)])]), "true": .integer(11),
            ])
    }

    @Test("booleans, comments after values and headers, tabs and CR LF line ends")
    func commentsAndWhitespace() throws {
        let text =
            "\u{FEFF}# a comment with a tab\tand \u{E9}\r\n[t] # after a header\r\n\tyes = true # after a value\r\n  no=false\r\n"
        #expect(try TOMLTesting.parse(text) == ["t": .table(["yes": .boolean(true), "no": .boolean(false)])])
    }

    static let invalid: [InvalidTOML] = [
        InvalidTOML("= 1", 1, 1, "found '=', expected a key, a [table] header or a comment"),
        InvalidTOML("a = ", 1, 5, "found the end of the file, expected \(TOMLParser.valueExpected)"),
        InvalidTOML("a", 1, 2, "found the end of the file, expected '=' after the key a"),
        InvalidTOML("log_level info", 1, 11, "found 'info', expected '=' after the key log_level"),
        InvalidTOML("a b = 1", 1, 3, "found 'b', expected '=' after the key a"),
        InvalidTOML("a. = 1", 1, 4, "found '=', expected a key after '.'"),
        InvalidTOML("\u{E9} = 1", 1, 1, "found 'é', expected a key, a [table] header or a comment"),
        InvalidTOML(
            #""""a""" = 1"#, 1, 1,
            #"found '"', expected a key, a [table] header or a comment (a multi-line string cannot be a key)"#),
        InvalidTOML("a = tru", 1, 5, "found 'tru', expected \(TOMLParser.valueExpected)"),
        InvalidTOML("a = True", 1, 5, "found 'True', expected \(TOMLParser.valueExpected)"),
        InvalidTOML("a = truely", 1, 5, "found 'truely', expected \(TOMLParser.valueExpected)"),
        InvalidTOML("a = t\u{7F}", 1, 5, "found 't', expected \(TOMLParser.valueExpected)"),
        InvalidTOML("a = 1\rb = 2", 1, 6, #"found '\u000D', expected the end of the line after the value of a"#),
        InvalidTOML("a = 1 \u{C}", 1, 7, #"found '\u000C', expected the end of the line after the value of a"#),
        InvalidTOML(
            "# bell \u{7} in a comment", 1, 8,
            #"found '\u0007', expected text in a comment (control characters other than tab are not allowed)"#),
        InvalidTOML(
            "a = 1 # \u{7F}", 1, 9,
            #"found '\u007F', expected text in a comment (control characters other than tab are not allowed)"#),
        InvalidTOML("a = 1\u{FEFF}", 1, 6, "found U+FEFF, expected the end of the line after the value of a"),
        InvalidTOML("a = \u{A0}1", 1, 5, "found U+00A0, expected \(TOMLParser.valueExpected)"),
        InvalidTOML("\u{FEFF}a = ?", 1, 5, "found '?', expected \(TOMLParser.valueExpected)"),
        InvalidTOML(
            "x = 1\n" + String(repeating: "a.", count: 65) + "b = 1", 2, 1,
            "found tables and arrays nested 65 levels deep, expected at most 64"),
    ]

    @Test("a line that is not a key/value pair, a header or a comment is named", arguments: invalid)
    func invalidLines(_ invalid: InvalidTOML) {
        invalid.check()
    }

    @Test("a NUL byte is reported where it stands, ahead of any other error")
    func nulByte() {
        let error = TOMLTesting.error("a = ?\nb = \"x\0\"")
        #expect(error?.message == "a NUL byte; expected UTF-8 text")
        #expect(error?.line == 2 && error?.column == 7)
    }
}
