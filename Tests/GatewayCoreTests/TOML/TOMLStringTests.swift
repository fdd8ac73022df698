import Testing

@testable import GatewayCore

/// Basic strings with their escapes, literal strings as written, and the multi-line form of each.
@Suite("TOML strings")
struct TOMLStringTests {
    @Test("basic strings decode every escape TOML defines")
    func basicEscapes() throws {
        let document = try TOMLTesting.parse(#"s = "tab\there \"q\" back\\slash \b\f\r\n \u00E9 \U0001F600""#)
        #expect(document == ["s": .string("tab\there \"q\" back\\slash \u{8}\u{C}\r\n \u{E9} \u{1F600}")])
    }

    @Test("literal strings keep backslashes and take any text but their quote")
    func literalStrings() throws {
        let document = try TOMLTesting.parse(#"path = 'C:\Users\nodejs\templates'"# + "\n" + #"q = '<\i\c*\s*>' "#)
        #expect(document == ["path": .string(#"C:\Users\nodejs\templates"#), "q": .string(#"<\i\c*\s*>"#)])
    }

    @Test("a multi-line basic string drops its first line end and joins lines at a trailing backslash")
    func multilineBasic() throws {
        let text =
            "a = \"\"\"\nRoses are red\n  Violets\tare blue\"\"\"\nb = \"\"\"\\\n  The quick \\\n\n    brown \\   \n  fox.\\\n  \"\"\""
        #expect(
            try TOMLTesting.parse(text) == [
                "a": .string("Roses are red\n  Violets\tare blue"), "b": .string("The quick brown fox."),
            ])
    }

    @Test("one or two quotes may stand inside and right before the end of a multi-line string")
    func quotesInMultiline() throws {
        let text = #"""
            a = """Here are two quotation marks: "". Simple enough."""
            b = """Here are fifteen quotation marks: ""\"""\"""\"""\"""\"."""
            c = """"This," she said, "is just a pointless statement.""""
            d = ''''That,' she said, 'is still pointless.''''
            e = '''It's ''two'' ''''
            """#
        #expect(
            try TOMLTesting.parse(text) == [
                "a": .string(#"Here are two quotation marks: "". Simple enough."#),
                "b": .string(#"Here are fifteen quotation marks: """""""""""""""."#),
                "c": .string(#""This," she said, "is just a pointless statement.""#),
                "d": .string("'That,' she said, 'is still pointless.'"),
                "e": .string("It's ''two'' '"),
            ])
    }

    @Test("a multi-line literal string keeps its text as written, CR LF read as LF")
    func multilineLiteral() throws {
        let text =
            "regex = '''I [dw]on't need \\d{2} apples'''\nlines = '''\r\nThe first newline is\r\n  trimmed.\r\n'''"
        #expect(
            try TOMLTesting.parse(text) == [
                "regex": .string(#"I [dw]on't need \d{2} apples"#),
                "lines": .string("The first newline is\n  trimmed.\n"),
            ])
    }

    @Test("strings may be empty and hold any Unicode text and tabs")
    func emptyAndUnicode() throws {
        let text = "a = \"\"\nb = ''\nc = \"\"\"\"\"\"\nd = ''''''\ne = \"caf\u{E9} \u{6C34}\tx\"\nf = '\u{1F600}'"
        #expect(
            try TOMLTesting.parse(text) == [
                "a": .string(""), "b": .string(""), "c": .string(""), "d": .string(""),
                "e": .string("caf\u{E9} \u{6C34}\tx"),
                "f": .string("\u{1F600}"),
            ])
    }

    static let invalid: [InvalidTOML] = [
        InvalidTOML(
            #"a = "x\qy""#, 1, 7, #"found '\q', expected an escape: \b \t \n \f \r \" \\ \uXXXX or \UXXXXXXXX"#),
        InvalidTOML(#"a = "\u12G4""#, 1, 6, #"found '\u12G4', expected \u and 4 hex digits"#),
        InvalidTOML(#"a = "\U0000004""#, 1, 6, #"found '\U0000004', expected \U and 8 hex digits"#),
        InvalidTOML(#"a = "\uD800""#, 1, 6, #"found '\uD800', expected a Unicode scalar value (not a surrogate)"#),
        InvalidTOML(
            #"a = "\U00110000""#, 1, 6, #"found '\U00110000', expected a Unicode scalar value (at most \U0010FFFF)"#),
        InvalidTOML(
            "a = \"abc\nb = 1", 1, 9,
            #"found the end of the line, expected '"' to close the string (only multi-line strings span lines)"#),
        InvalidTOML("a = 'abc", 1, 9, #"found the end of the file, expected "'" to close the string"#),
        InvalidTOML(
            "a = \"a\u{7}b\"", 1, 7,
            #"found '\u0007', expected text (a control character in a string must be escaped, as \u0007)"#),
        InvalidTOML(
            "a = 'a\u{7F}b'", 1, 7,
            #"found '\u007F', expected text (a literal string cannot hold control characters other than tab)"#),
        InvalidTOML(
            "a = \"\"\"a\rb\"\"\"", 1, 9,
            #"found '\u000D', expected text (a control character in a string must be escaped, as \u000D)"#),
        InvalidTOML(
            "\n\na = \"\"\"\nnever\nclosed", 5, 7,
            #"found the end of the file, expected '"""' to close the multi-line string opened on line 3"#),
        InvalidTOML("a = '''x''''''", 1, 14, #"found "'", expected the end of the line after the value of a"#),
        InvalidTOML(
            #"a = """x \ y""""#, 1, 10, #"found '\ ', expected an escape: \b \t \n \f \r \" \\ \uXXXX or \UXXXXXXXX"#),
        InvalidTOML(#"a = "x" "y""#, 1, 9, #"found '"', expected the end of the line after the value of a"#),
    ]

    @Test("malformed strings are named with their line and column", arguments: invalid)
    func invalidStrings(_ invalid: InvalidTOML) {
        invalid.check()
    }
}
