import Testing

@testable import GatewayCore

@Suite("Topic templates")
struct TopicTemplateTests {
    let template = try! TopicTemplate("city/{city}/{domain}/{device}/{metric}")

    @Test("a template lists its field names in level order")
    func fieldNamesInOrder() throws {
        #expect(template.fieldNames == ["city", "domain", "device", "metric"])
        #expect(template.pattern == "city/{city}/{domain}/{device}/{metric}")
    }

    @Test("a matching topic yields the value of every field")
    func matchCapturesFields() throws {
        let fields = try #require(template.match("city/fes/water/meter-0042/flow"))
        #expect(fields["city"] == "fes")
        #expect(fields["domain"] == "water")
        #expect(fields["device"] == "meter-0042")
        #expect(fields["metric"] == "flow")
        #expect(fields["room"] == nil)
        #expect(fields.count == 4)
    }

    @Test("a topic with another level count or literal does not match", arguments: [
        "city/fes/water/meter-0042",
        "city/fes/water/meter-0042/flow/extra",
        "town/fes/water/meter-0042/flow",
        "City/fes/water/meter-0042/flow",
        "",
        "city",
    ])
    func mismatchedTopics(topic: String) {
        #expect(template.match(topic) == nil)
        #expect(template.mismatch(topic) != nil)
    }

    @Test("an empty level never fills a field")
    func emptyFieldLevel() {
        #expect(template.match("city//water/meter/flow") == nil)
        #expect(template.mismatch("city//water/meter/flow") == #"level 2 is empty; the template "city/{city}/{domain}/{device}/{metric}" needs a value there"#)
    }

    @Test("a mismatch explains the level count or the literal that differs")
    func mismatchDetails() {
        #expect(template.mismatch("city/fes") == #"the topic has 2 levels; the template "city/{city}/{domain}/{device}/{metric}" has 5"#)
        #expect(template.mismatch("town/fes/water/m/flow") == #"level 1 is "town"; the template "city/{city}/{domain}/{device}/{metric}" expects "city""#)
        #expect(template.mismatch("city/fes/water/m/flow") == nil)
    }

    @Test("literal levels may be empty, as MQTT allows")
    func emptyLiteralLevels() throws {
        let leadingSlash = try TopicTemplate("/sensors/{device}")
        #expect(leadingSlash.match("/sensors/a")?["device"] == "a")
        #expect(leadingSlash.match("sensors/a") == nil)
    }

    @Test("a template without fields matches only its own text")
    func literalOnlyTemplate() throws {
        let fixed = try TopicTemplate("plant/boiler/temp")
        #expect(fixed.fieldNames.isEmpty)
        #expect(fixed.match("plant/boiler/temp") == TopicFields([:]))
        #expect(fixed.match("plant/boiler/temp2") == nil)
    }

    @Test("field values keep non-ASCII text")
    func unicodeValues() throws {
        let fields = try #require(template.match("city/fès/eau/compteur-é/débit"))
        #expect(fields["city"] == "fès")
        #expect(fields["metric"] == "débit")
    }

    @Test("invalid templates say what was expected", arguments: [
        ("", #"the template is empty; expected levels such as "city/{city}/{device}/{metric}""#),
        ("city/{city}/{dev}ice", #"level 3 "{dev}ice" mixes text and a field; expected a literal or exactly one {name}"#),
        ("city/x{city}", #"level 2 "x{city}" mixes text and a field; expected a literal or exactly one {name}"#),
        ("city/{a}{b}", #"level 2 "{a}{b}" mixes text and a field; expected a literal or exactly one {name}"#),
        ("city/{city", #"level 2 "{city" mixes text and a field; expected a literal or exactly one {name}"#),
        ("city/city}", #"level 2 "city}" mixes text and a field; expected a literal or exactly one {name}"#),
        ("city/{}", #"level 2 "{}" has an invalid field name; names use letters, digits and '_'"#),
        ("city/{dev-id}", #"level 2 "{dev-id}" has an invalid field name; names use letters, digits and '_'"#),
        ("city/{id}/{id}", "field {id} names both level 2 and level 3; each name must be unique"),
        ("city/+/{device}", #"level 2 "+" has an MQTT wildcard; a template names levels with {name}, and wildcards belong in `topics`"#),
        ("city/#", ##"level 2 "#" has an MQTT wildcard; a template names levels with {name}, and wildcards belong in `topics`"##),
    ])
    func invalidTemplates(pattern: String, message: String) {
        #expect(throws: TemplateError(message)) { try TopicTemplate(pattern) }
    }

    @Test("templates are equal when their patterns are")
    func equality() throws {
        #expect(try TopicTemplate("a/{b}") == TopicTemplate("a/{b}"))
        #expect(try TopicTemplate("a/{b}") != TopicTemplate("a/{c}"))
    }
}

@Suite("Name templates")
struct TopicNameTemplateTests {
    let template = try! TopicTemplate("city/{city}/{domain}/{device}/{metric}")

    @Test("a sensor id is built from the topic's fields")
    func rendersSensorId() throws {
        let sensor = try NameTemplate("{city}/{domain}/{device}", fieldsOf: template)
        let fields = try #require(template.match("city/fes/water/meter-0042/flow"))
        #expect(sensor.render(fields) == "fes/water/meter-0042")
        #expect(sensor.fieldNames == ["city", "domain", "device"])
    }

    @Test("literal text around fields is copied as is")
    func literalText() throws {
        let name = try NameTemplate("site-{city}.{device}:x", available: ["city", "device"])
        #expect(name.render(TopicFields(["city": "fes", "device": "m1"])) == "site-fes.m1:x")
    }

    @Test("a name template may be plain text without fields")
    func plainText() throws {
        let metric = try NameTemplate("flow", available: ["city"])
        #expect(metric.fieldNames.isEmpty)
        #expect(metric.render(TopicFields(["city": "fes"])) == "flow")
    }

    @Test("a field used twice is listed once")
    func repeatedField() throws {
        let name = try NameTemplate("{a}-{a}", available: ["a"])
        #expect(name.fieldNames == ["a"])
        #expect(name.render(TopicFields(["a": "x"])) == "x-x")
    }

    @Test("an unknown field is named along with the fields the template has")
    func unknownField() {
        #expect(throws: TemplateError("unknown field {room}; the template names city, domain, device, metric")) {
            try NameTemplate("{city}/{room}", fieldsOf: template)
        }
        #expect(throws: TemplateError("unknown field {room}; the template names a, b")) {
            try NameTemplate("{room}", available: ["b", "a"])
        }
        #expect(throws: TemplateError("unknown field {room}; the template names no fields")) {
            try NameTemplate("{room}", available: [])
        }
    }

    @Test("malformed name templates say what was expected", arguments: [
        ("", #"the name template is empty; expected text with {name} fields, such as "{city}/{device}""#),
        ("{city", #"a "{" in "{city" has no closing "}"; expected text with {name} fields"#),
        ("city}", #"a "}" in "city}" has no opening "{"; expected text with {name} fields"#),
        ("{}", #"field "{}" in "{}" is not a name; names use letters, digits and '_'"#),
        ("{a{b}", #"field "{a{b}" in "{a{b}" is not a name; names use letters, digits and '_'"#),
    ])
    func malformed(pattern: String, message: String) {
        #expect(throws: TemplateError(message)) { try NameTemplate(pattern, available: ["a", "b", "city"]) }
    }
}
