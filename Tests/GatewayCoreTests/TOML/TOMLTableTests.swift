import Testing

@testable import GatewayCore

/// `[table]` and `[[array of tables]]` headers and dotted keys, with every rule of TOML 1.0 on
/// what may not be defined twice.
@Suite("TOML tables")
struct TOMLTableTests {
    @Test("headers define tables, their parents included, in any order")
    func tables() throws {
        let text = """
            top = 1
            [x.y.z.w] # for this to work
            a = 1
            [x] # defining a super-table afterward is ok
            b = 2
            [ dog . "tater.man" ]
            type.name = "pug"
            [empty]
            ['quoted key'.sub]
            """
        #expect(
            try TOMLTesting.parse(text) == [
                "top": .integer(1),
                "x": .table(["y": .table(["z": .table(["w": .table(["a": .integer(1)])])]), "b": .integer(2)]),
                "dog": .table(["tater.man": .table(["type": .table(["name": .string("pug")])])]),
                "empty": .table([:]),
                "quoted key": .table(["sub": .table([:])]),
            ])
    }

    @Test("dotted keys make tables that a header may add sub-tables to")
    func dottedKeys() throws {
        let text = """
            name.first = "Tom"
            name.last = "Preston-Werner"
            3.14159 = "pi"
            [fruit]
            apple.color = "red"
            apple.taste.sweet = true
            [fruit.apple.texture]
            smooth = true
            """
        #expect(
            try TOMLTesting.parse(text) == [
                "name": .table(["first": .string("Tom"), "last": .string("Preston-Werner")]),
                "3": .table(["14159": .string("pi")]),
                "fruit": .table([
                    "apple": .table([
                        "color": .string("red"), "taste": .table(["sweet": .boolean(true)]),
                        "texture": .table(["smooth": .boolean(true)]),
                    ])
                ]),
            ])
    }

    @Test("arrays of tables append a table per header; sub-tables go to the latest one")
    func arraysOfTables() throws {
        let text = """
            [[fruits]]
            name = "apple"
            [fruits.physical]
            color = "red"
            [[fruits.varieties]]
            name = "red delicious"
            [[fruits.varieties]]
            name = "granny smith"
            [[fruits]]
            name = "banana"
            [[fruits.varieties]]
            name = "plantain"
            [[empty]]
            [[empty]]
            """
        #expect(
            try TOMLTesting.parse(text) == [
                "fruits": .array([
                    .table([
                        "name": .string("apple"), "physical": .table(["color": .string("red")]),
                        "varieties": .array([
                            .table(["name": .string("red delicious")]), .table(["name": .string("granny smith")]),
                        ]),
                    ]),
                    .table(["name": .string("banana"), "varieties": .array([.table(["name": .string("plantain")])])]),
                ]),
                "empty": .array([.table([:]), .table([:])]),
            ])
    }

    @Test("an array of tables may hold tables whose parent was made by dotted keys")
    func arrayWithinDotted() throws {
        let text = "[fruit]\napple.color = \"red\"\n[[fruit.apple.seeds]]\nsize = 2"
        #expect(
            try TOMLTesting.parse(text) == [
                "fruit": .table([
                    "apple": .table(["color": .string("red"), "seeds": .array([.table(["size": .integer(2)])])])
                ])
            ])
    }

    static let invalid: [InvalidTOML] = [
        InvalidTOML("[\n", 1, 2, "found the end of the line, expected a table name"),
        InvalidTOML("[[[source]]]", 1, 3, "found '[', expected the name of an array of tables"),
        InvalidTOML("[]", 1, 2, "found ']', expected a table name"),
        InvalidTOML("[a.]", 1, 4, "found ']', expected a key after '.'"),
        InvalidTOML("[a", 1, 3, "found the end of the file, expected ']' to close the header [a]"),
        InvalidTOML("[[a] ]", 1, 5, "found ' ', expected ']' right after ']' to close the header [[a]]"),
        InvalidTOML("[a] b = 1", 1, 5, "found 'b', expected the end of the line after the header [a]"),
        InvalidTOML("[a b]", 1, 4, "found 'b', expected ']' to close the header [a]"),
        InvalidTOML(
            "[a]\nx = 1\n[a]", 3, 2,
            "found [a], but a is already a table defined on line 1; expected each table defined once"),
        InvalidTOML(
            "[a]\n[a.b]\n[a]", 3, 2,
            "found [a], but a is already a table defined on line 1; expected each table defined once"),
        InvalidTOML(
            "[fruit]\napple.color = \"red\"\n[fruit.apple]", 3, 8,
            "found [fruit.apple], but fruit.apple is already a table defined by dotted keys on line 2; expected each table defined once"
        ),
        InvalidTOML(
            "a.b = 1\n[a]", 2, 2,
            "found [a], but a is already a table defined by dotted keys on line 1; expected each table defined once"),
        InvalidTOML(
            "[a.b.c]\nz = 9\n[a]\nb.c.t = 1", 4, 3,
            "found b.c.t, but a.b.c is already a table defined on line 1; expected its keys under [a.b.c]"),
        InvalidTOML(
            "[a.b.c]\n[a]\nb.d = 1\n[a.b]", 4, 4,
            "found [a.b], but a.b is already a table defined by dotted keys on line 3; expected each table defined once"
        ),
        InvalidTOML(
            "[[a.b]]\n[a]\nb.y = 2", 3, 1,
            "found b.y, but a.b is already an array of tables started on line 1; expected its keys under [[a.b]]"),
        InvalidTOML(
            "[[albums.songs]]\n[[albums]]", 2, 3,
            "found [[albums]], but albums is already a table created by the header on line 1; expected [[albums]] only for an array of tables"
        ),
        InvalidTOML(
            "[[tbl]]\n[tbl]", 2, 2,
            "found [tbl], but tbl is already an array of tables started on line 1; expected [[tbl]] to add a table to it"
        ),
        InvalidTOML(
            "[tbl]\n[[tbl]]", 2, 3,
            "found [[tbl]], but tbl is already a table defined on line 1; expected [[tbl]] only for an array of tables"),
        InvalidTOML(
            "a = [1]\n[[a]]", 2, 3,
            "found [[a]], but a is already an array set on line 1; expected [[a]] only for an array of tables (an array written with [...] is complete)"
        ),
        InvalidTOML(
            "a = {b = 1}\n[a]", 2, 2,
            "found [a], but a is already an inline table set on line 1 (complete as written); expected each key defined once"
        ),
        InvalidTOML(
            "a = {b = 1}\n[a.c]", 2, 2,
            "found [a.c], but a is already an inline table set on line 1 (complete as written); expected a table"),
        InvalidTOML(
            "a = {b = 1}\na.c = 2", 2, 1,
            "found a.c, but a is already an inline table set on line 1 (complete as written); expected a table"),
        InvalidTOML("a = 1\n[a.b]", 2, 2, "found [a.b], but a is already an integer set on line 1; expected a table"),
        InvalidTOML(
            "[a]\nb = 1\n[a.b]", 3, 4,
            "found [a.b], but a.b is already an integer set on line 2; expected each key defined once"),
        InvalidTOML(
            "[a.b]\n[a]\nb = 1", 3, 1,
            "found key b, but a.b is already a table defined on line 1; expected each key once per table"),
        InvalidTOML(
            "[gateway]\nid = \"x\"\nid = \"y\"", 3, 1,
            "found key id, but gateway.id is already a string set on line 2; expected each key once per table"),
        InvalidTOML(
            "[[source]]\nname = 1\n[[source]]\nname = 2\nname = 3", 5, 1,
            "found key name, but source[1].name is already an integer set on line 4; expected each key once per table"),
        InvalidTOML(
            "a.b = 1\na.b.c = 2", 2, 3, "found a.b.c, but a.b is already an integer set on line 1; expected a table"),
        InvalidTOML(
            "\"a.b\" = 1\n\"a.b\" = 2", 2, 1,
            #"found key "a.b", but "a.b" is already an integer set on line 1; expected each key once per table"#),
    ]

    @Test("a table, key or array defined twice or extended where TOML forbids is named", arguments: invalid)
    func invalidTables(_ invalid: InvalidTOML) {
        invalid.check()
    }
}
