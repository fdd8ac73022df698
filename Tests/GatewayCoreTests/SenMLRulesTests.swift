import Testing

@testable import GatewayCore

@Suite("SenML: rules")
struct SenMLRulesTests {
    let decoder = PayloadFixture.decoder(.senml)
    let now = PayloadFixture.receivedAt.milliseconds

    func reading(_ name: String, _ value: Double, at milliseconds: Int64? = nil) -> Reading {
        Reading(
            sensor: PayloadFixture.sensor, metric: name,
            time: Timestamp(milliseconds: milliseconds ?? PayloadFixture.receivedAt.milliseconds), value: value)
    }

    @Test("a pack that is not an array of objects is bad SenML", arguments: [
        (#"{"n":"a","v":1}"#, "the payload is an object; a SenML pack is an array of records"),
        ("[]", "the pack has no records"),
        (#"[{"n":"a","v":1}, 2]"#, "record 2 is a number; every record is an object"),
        (#"[[{"n":"a","v":1}]]"#, "record 1 is an array; every record is an object"),
        ("3", "the payload is a number; a SenML pack is an array of records"),
    ])
    func notAPack(payload: String, detail: String) {
        #expect(decoder.decode(payload) == DecodeOutcome(failures: [DecodeFailure(.badSenML, detail)]))
    }

    @Test("a pack that is not JSON fails like any JSON payload")
    func notJSON() {
        #expect(decoder.reason(#"[{"n":"a","v":1},]"#) == .notJSON)
        #expect(decoder.reason(#"[{"n":"a","v":1e999}]"#) == .notFinite)
        #expect(decoder.decode(bytes: Array(#"[{"n":""#.utf8) + [0xFF] + Array(#"","v":1}]"#.utf8)).failures.map(\.reason) == [.invalidUTF8])
        #expect(PayloadFixture.decoder(.senml, maxDepth: 2).reason(#"[{"n":"a","v":1,"x":[1]}]"#) == .tooDeep)
    }

    @Test("an unknown field ending in '_' fails the whole pack, wherever it is")
    func mustUnderstand() {
        let pack = #"[{"n":"a","v":1},{"n":"b","v":2},{"n":"c","v":3,"rt_":5}]"#
        #expect(decoder.decode(pack) == DecodeOutcome(failures: [
            DecodeFailure(.badSenML, "record 3: a field ending in '_' must be understood (RFC 8428 §4.4), and this one is not known here")
        ]))
    }

    @Test("unknown fields without '_' are extensions and are ignored")
    func extensionsIgnored() {
        #expect(decoder.decode(#"[{"n":"a","v":1,"foo":{"x":[1]},"bar":"y"}]"#).readings == [reading("a", 1)])
    }

    @Test("any base version is accepted")
    func versions() {
        #expect(decoder.decode(#"[{"bver":11,"n":"a","v":1}]"#).readings == [reading("a", 1)])
        #expect(decoder.decode(#"[{"bver":5,"n":"a","v":1}]"#).readings == [reading("a", 1)])
    }

    @Test("base value and base sum are added to each record's value and sum")
    func baseValueAndSum() {
        let pack = #"[{"bn":"m:","bv":100,"bs":1000,"n":"a","v":1},{"n":"b","v":-2.5},{"n":"c","s":5},{"n":"d","v":1,"s":7}]"#
        #expect(decoder.decode(pack).readings == [
            reading("m:a", 101), reading("m:b", 97.5), reading("m:c", 1005), reading("m:d", 101),
        ])
    }

    @Test("a later base field replaces the earlier one for the records after it")
    func baseReplaced() {
        let pack = #"[{"bn":"x:","bt":1320078429,"bv":1,"n":"a","v":1},{"bn":"y:","bt":1320078430,"n":"a","v":1},{"bv":0,"n":"b","v":1}]"#
        #expect(decoder.decode(pack).readings == [
            reading("x:a", 2, at: 1_320_078_429_000),
            reading("y:a", 2, at: 1_320_078_430_000),
            reading("y:b", 1, at: 1_320_078_430_000),
        ])
    }

    @Test("a boolean value counts as 1 or 0 and takes no base value")
    func booleans() {
        #expect(decoder.decode(#"[{"bv":10,"n":"on","vb":true},{"n":"off","vb":false}]"#).readings == [
            reading("on", 1), reading("off", 0),
        ])
    }

    @Test("times below 2^28 are relative to the time received, later ones absolute", arguments: [
        (#"{"n":"a","v":1}"#, 0),
        (#"{"n":"a","v":1,"t":0}"#, 0),
        (#"{"n":"a","v":1,"t":-60}"#, -60_000),
        (#"{"n":"a","v":1,"t":-0.25}"#, -250),
        (#"{"bt":10,"n":"a","v":1,"t":-5}"#, 5000),
        (#"{"n":"a","v":1,"t":268435455}"#, 268_435_455_000),
        (#"{"n":"a","v":1,"t":-1e9}"#, -1_000_000_000_000),
    ] as [(String, Int64)])
    func relativeTimes(record: String, offset: Int64) {
        #expect(decoder.decode("[\(record)]").readings == [reading("a", 1, at: now + offset)])
    }

    @Test("times from 2^28 on are absolute epoch seconds")
    func absoluteTimes() {
        #expect(decoder.decode(#"[{"n":"a","v":1,"t":268435456}]"#).readings == [reading("a", 1, at: 268_435_456_000)])
        #expect(decoder.decode(#"[{"bt":1764165000,"n":"a","v":1,"t":540.123}]"#).readings == [reading("a", 1, at: 1_764_165_540_123)])
    }

    @Test("a time outside years 0001 to 9999 fails its record", arguments: [
        #"{"n":"a","v":1,"t":1e12}"#, #"{"bt":1e300,"n":"a","v":1}"#, #"{"n":"a","v":1,"t":-1e14}"#,
        #"{"bt":1e308,"n":"a","v":1,"t":1e308}"#,
    ])
    func badTime(record: String) {
        #expect(decoder.decode("[\(record)]").failures == [
            DecodeFailure(.badTime, "record 1: the time (bt + t) is not finite or falls outside years 0001 to 9999")
        ])
    }

    @Test("one bad record fails alone; the others still give readings")
    func recordFailsAlone() {
        let pack = #"[{"bn":"m:","n":"a","v":1},{"n":"b"},{"n":"c","v":"3"},{"n":"d","v":4}]"#
        #expect(decoder.decode(pack) == DecodeOutcome(
            readings: [reading("m:a", 1), reading("m:d", 4)],
            failures: [
                DecodeFailure(.missingValue, "record 2: no value (v, vb, vs, vd) and no sum (s)"),
                DecodeFailure(.notANumber, "record 3: v is a string; expected a number"),
            ]))
    }

    @Test("fields of the wrong type fail their record with the matching reason", arguments: [
        (#"{"n":"a","v":true}"#, DeadLetterReason.notANumber, "record 1: v is a boolean; expected a number"),
        (#"{"n":"a","vb":1}"#, .notANumber, "record 1: vb is a number; expected a boolean"),
        (#"{"n":"a","s":"1"}"#, .notANumber, "record 1: s is a string; expected a number"),
        (#"{"n":"a","v":1,"t":"now"}"#, .badTime, "record 1: t is a string; expected a number"),
        (#"{"n":5,"v":1}"#, .badSenML, "record 1: n is a number; expected a string"),
        (#"{"n":"a","u":1,"v":1}"#, .badSenML, "record 1: u is a number; expected a string"),
        (#"{"n":"a","vs":1}"#, .badSenML, "record 1: vs is a number; expected a string"),
        (#"{"n":"a","v":1,"ut":"x"}"#, .badSenML, "record 1: ut is a string; expected a number"),
    ])
    func wrongTypes(record: String, reason: DeadLetterReason, detail: String) {
        #expect(decoder.decode("[\(record)]") == DecodeOutcome(failures: [DecodeFailure(reason, detail)]))
    }

    @Test("base fields of the wrong type fail the whole pack", arguments: [
        (#"{"bn":1,"n":"a","v":1}"#, "record 2: bn is a number; expected a string"),
        (#"{"bt":"x","n":"a","v":1}"#, "record 2: bt is a string; expected a number"),
        (#"{"bv":null,"n":"a","v":1}"#, "record 2: bv is null; expected a number"),
        (#"{"bs":[],"n":"a","v":1}"#, "record 2: bs is an array; expected a number"),
        (#"{"bu":2,"n":"a","v":1}"#, "record 2: bu is a number; expected a string"),
        (#"{"bver":"10","n":"a","v":1}"#, "record 2: bver is a string; expected a number"),
    ])
    func wrongBaseTypes(record: String, detail: String) {
        #expect(decoder.decode(#"[{"n":"ok","v":1},\#(record)]"#) == DecodeOutcome(failures: [DecodeFailure(.badSenML, detail)]))
    }

    @Test("a value that overflows with its base value is not finite")
    func notFinite() {
        #expect(decoder.decode(#"[{"bv":1e308,"n":"a","v":1e308}]"#).failures == [
            DecodeFailure(.notFinite, "record 1: the value with its base value is not a finite number")
        ])
        #expect(decoder.decode(#"[{"bs":-1e308,"n":"a","s":-1e308}]"#).failures.map(\.reason) == [.notFinite])
    }

    @Test("names follow RFC 8428 §4.5.1", arguments: [
        ("urn:dev:ow:10e2073a01080063", true), ("2001:db8::2/temp", true), ("a", true), ("Z9-:._/", true),
        ("", false), ("-a", false), (":a", false), ("_a", false), ("a b", false), ("é", false), ("aé", false),
        ("a+b", false), ("a#", false), ("a\u{0}", false),
    ])
    func names(name: String, valid: Bool) {
        #expect((senMLNameProblem(name) == nil) == valid)
        let outcome = decoder.decode(bytes: Array(#"[{"n":""#.utf8) + Array(name.utf8) + Array(#"","v":1}]"#.utf8))
        if valid {
            #expect(outcome.readings == [reading(name, 1)])
        } else {
            #expect(outcome.failures.map(\.reason) == (name.contains("\u{0}") ? [.notJSON] : [.badSenML]))
        }
    }

    @Test("the name is the base name followed by the record's name")
    func nameJoined() {
        #expect(decoder.decode(#"[{"bn":"dev1/","n":"flow","v":1},{"v":2}]"#).readings == [reading("dev1/flow", 1), reading("dev1/", 2)])
        #expect(decoder.decode(#"[{"v":2}]"#).failures == [DecodeFailure(.badSenML, "record 1: the name is empty (no bn and no n)")])
        #expect(decoder.decode(#"[{"bn":"-x","n":"a","v":2}]"#).failures == [
            DecodeFailure(.badSenML, "record 1: the name starts with a character other than a letter or digit (RFC 8428 §4.5.1)")
        ])
        #expect(decoder.decode(#"[{"bn":"ab","n":" c","v":2}]"#).failures == [
            DecodeFailure(.badSenML, "record 1: the name has a character outside a-z, A-Z, 0-9 and -:./_ at byte 3 (RFC 8428 §4.5.1)")
        ])
    }

    @Test("a pack of base fields alone gives no reading and says so")
    func onlyBaseFields() {
        #expect(decoder.decode(#"[{"bn":"a:","bt":1320078429}]"#) == DecodeOutcome(failures: [
            DecodeFailure(.missingValue, "the pack has only base fields and no record with a value")
        ]))
    }

    @Test("within a record the last of duplicate fields wins")
    func duplicateFields() {
        #expect(decoder.decode(#"[{"n":"a","v":1,"v":2,"n":"b"}]"#).readings == [reading("b", 2)])
    }

    @Test("the sensor comes from the topic, the metric from the record's name")
    func sensorFromTopic() {
        let outcome = decoder.decode(#"[{"n":"temp","v":1}]"#, topic: "city/rabat/air/station-9/ignored")
        #expect(outcome.readings == [
            Reading(sensor: "rabat/air/station-9", metric: "temp", time: PayloadFixture.receivedAt, value: 1)
        ])
    }
}
