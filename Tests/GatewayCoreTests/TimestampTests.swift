import Testing

@testable import GatewayCore

@Suite("Timestamps")
struct TimestampTests {
    /// Milliseconds checked against an independent calendar implementation.
    static let knownTimes: [(String, Int64)] = [
        ("1970-01-01T00:00:00.000Z", 0),
        ("2026-11-26T13:59:00.000Z", 1_795_701_540_000),
        ("1969-12-31T23:59:59.999Z", -1),
        ("1900-02-28T12:00:00.000Z", -2_203_934_400_000),
        ("1600-03-01T00:00:00.000Z", -11_670_912_000_000),
        ("2000-02-29T00:00:00.000Z", 951_782_400_000),
        ("2024-02-29T23:59:59.999Z", 1_709_251_199_999),
        ("2010-06-08T18:01:16.001Z", 1_276_020_076_001),
        ("0001-01-01T00:00:00.000Z", -62_135_596_800_000),
        ("9999-12-31T23:59:59.999Z", 253_402_300_799_999),
    ]

    @Test("a time is written in UTC with three fractional digits", arguments: knownTimes)
    func writes(text: String, milliseconds: Int64) {
        #expect(Timestamp(milliseconds: milliseconds).rfc3339 == text)
    }

    @Test("a written time reads back as the same time", arguments: knownTimes)
    func roundTrips(text: String, milliseconds: Int64) {
        #expect(Timestamp(rfc3339: text) == Timestamp(milliseconds: milliseconds))
    }

    @Test("times across the calendar write and read back the same, in order", arguments: [
        ("1968-01-01T00:00:00Z", "2104-12-31T00:00:00Z", 1),  // every day of the years devices live in
        ("0001-01-01T00:00:00Z", "9999-12-31T00:00:00Z", 89),  // a prime step, so every month comes round
    ])
    func calendarRoundTrips(from: String, to: String, stepDays: Int64) {
        var milliseconds = Timestamp(rfc3339: from)!.milliseconds
        let end = Timestamp(rfc3339: to)!.milliseconds
        var previousText = ""
        var wrong: [String] = []
        while milliseconds <= end {
            // A different time of day each day, so times of day are covered too.
            let time = Timestamp(milliseconds: milliseconds + (milliseconds / 7_919).magnitude.toInt64 % 86_400_000)
            let text = time.rfc3339
            if Timestamp(rfc3339: text) != time || text <= previousText { wrong.append(text) }
            previousText = text
            milliseconds += 86_400_000 * stepDays
        }
        #expect(wrong.isEmpty)
    }

    @Test("times outside years 0001 to 9999 are still written, with an expanded year")
    func expandedYears() {
        #expect(Timestamp(milliseconds: Timestamp.latest.milliseconds + 1).rfc3339 == "+10000-01-01T00:00:00.000Z")
        #expect(Timestamp(milliseconds: Timestamp.earliest.milliseconds - 1).rfc3339 == "0000-12-31T23:59:59.999Z")
        #expect(Timestamp(milliseconds: .min).rfc3339.hasPrefix("-"))
        #expect(Timestamp(milliseconds: .max).rfc3339.hasPrefix("+"))
    }

    @Test("RFC 3339 variants read as the same instant", arguments: [
        "2026-11-26T13:59:00Z",
        "2026-11-26t13:59:00z",
        "2026-11-26 13:59:00Z",
        "2026-11-26T13:59:00.000Z",
        "2026-11-26T13:59:00.0009999Z",
        "2026-11-26T14:59:00+01:00",
        "2026-11-26T08:29:00-05:30",
        "2026-11-27T00:59:00+11:00",
        "2026-11-26T13:59:00-00:00",
        "2026-11-25T23:59:00-14:00",
    ])
    func variants(text: String) {
        #expect(Timestamp(rfc3339: text) == Timestamp(milliseconds: 1_795_701_540_000))
    }

    @Test("fractions are truncated to the millisecond, however many digits they have")
    func fractions() {
        #expect(Timestamp(rfc3339: "1970-01-01T00:00:00.5Z")?.milliseconds == 500)
        #expect(Timestamp(rfc3339: "1970-01-01T00:00:00.12Z")?.milliseconds == 120)
        #expect(Timestamp(rfc3339: "1970-01-01T00:00:00.1239Z")?.milliseconds == 123)
        #expect(Timestamp(rfc3339: "1970-01-01T00:00:00.123999999999999999999Z")?.milliseconds == 123)
        #expect(Timestamp(rfc3339: "1969-12-31T23:59:59.9999Z")?.milliseconds == -1)
    }

    @Test("a leap second is held at the last millisecond of its minute")
    func leapSecond() {
        #expect(Timestamp(rfc3339: "2016-12-31T23:59:60Z")?.rfc3339 == "2016-12-31T23:59:59.999Z")
        #expect(Timestamp(rfc3339: "2016-12-31T23:59:60.5Z")?.rfc3339 == "2016-12-31T23:59:59.999Z")
    }

    @Test("text that is not an RFC 3339 time in range is refused", arguments: [
        "",
        "2026-11-26",
        "2026-11-26T13:59Z",
        "2026-11-26T13:59:00",
        "2026-11-26T13:59:00.Z",
        "2026-11-26T13:59:00ZZ",
        "2026-11-26T13:59:00+0100",
        "2026-11-26T13:59:00+1:00",
        "2026-11-26T13:59:00+24:00",
        "2026-11-26T13:59:00+01:60",
        "2026-11-26X13:59:00Z",
        "2026-13-01T00:00:00Z",
        "2026-00-01T00:00:00Z",
        "2026-11-00T00:00:00Z",
        "2026-11-31T00:00:00Z",
        "2026-02-29T00:00:00Z",
        "1900-02-29T00:00:00Z",
        "2026-11-26T24:00:00Z",
        "2026-11-26T23:60:00Z",
        "2026-11-26T23:59:61Z",
        "26-11-26T13:59:00Z",
        "+2026-11-26T13:59:00Z",
        " 2026-11-26T13:59:00Z",
        "2026-11-26T13:59:00Z ",
        "２０２６-11-26T13:59:00Z",
        "0000-12-31T23:59:59Z",
        "9999-12-31T23:59:59-00:01",
        "1764165540",
    ])
    func refused(text: String) {
        #expect(Timestamp(rfc3339: text) == nil)
    }

    @Test("leap days exist only in leap years")
    func leapDays() {
        #expect(Timestamp(rfc3339: "2000-02-29T00:00:00Z") != nil)
        #expect(Timestamp(rfc3339: "2024-02-29T00:00:00Z") != nil)
        #expect(Timestamp(rfc3339: "2100-02-29T00:00:00Z") == nil)
        #expect(Timestamp(rfc3339: "2023-02-29T00:00:00Z") == nil)
    }

    @Test("a substring is parsed in place")
    func substring() {
        let text = "[2026-11-26T13:59:00Z]"
        #expect(Timestamp(rfc3339: text.dropFirst().dropLast())?.milliseconds == 1_795_701_540_000)
    }

    @Test("seconds are rounded to the millisecond and read back")
    func seconds() {
        #expect(Timestamp(seconds: 1_764_165_540.123).milliseconds == 1_764_165_540_123)
        #expect(Timestamp(seconds: 0.0004).milliseconds == 0)
        #expect(Timestamp(seconds: 0.0005).milliseconds == 1)
        #expect(Timestamp(seconds: -0.0005).milliseconds == -1)
        #expect(Timestamp(seconds: -1.5).milliseconds == -1500)
        #expect(Timestamp(milliseconds: 1500).seconds == 1.5)
    }

    @Test("seconds that are not finite or beyond Int64 never trap")
    func secondsClamped() {
        #expect(Timestamp(seconds: .nan).milliseconds == 0)
        #expect(Timestamp(seconds: .infinity).milliseconds == .max)
        #expect(Timestamp(seconds: -.infinity).milliseconds == .min)
        #expect(Timestamp(seconds: 1e300).milliseconds == .max)
    }

    @Test("an epoch number of magnitude 1e11 or more is milliseconds, below that seconds", arguments: [
        (1_764_165_540, 1_764_165_540_000),
        (1_764_165_540.123, 1_764_165_540_123),
        (1_764_165_540_123, 1_764_165_540_123),
        (99_999_999_999, 99_999_999_999_000),
        (100_000_000_000, 100_000_000_000),
        (-62_135_596_800, -62_135_596_800_000),
        (-100_000_000_000, -100_000_000_000),
        (0, 0),
        (-1.5, -1500),
        (1_764_165_540_123.6, 1_764_165_540_124),
        (253_402_300_799_999, 253_402_300_799_999),
        (-62_135_596_800_000, -62_135_596_800_000),
    ] as [(Double, Int64)])
    func epochRule(number: Double, milliseconds: Int64) {
        #expect(Timestamp.fromEpochNumber(number) == Timestamp(milliseconds: milliseconds))
    }

    @Test("the epoch rule refuses numbers that are not finite or outside years 0001 to 9999", arguments: [
        Double.nan, .infinity, -.infinity, 253_402_300_800_000, -62_135_596_800_001, -62_135_596_801,
        -99_999_999_999, 1e300, -1e300,
    ])
    func epochRuleRefuses(number: Double) {
        #expect(Timestamp.fromEpochNumber(number) == nil)
    }

    @Test("1e11 seconds would be the year 5138 and 1e11 milliseconds is 1973")
    func ruleBoundaryMeaning() {
        #expect(Timestamp(milliseconds: 100_000_000_000).rfc3339 == "1973-03-03T09:46:40.000Z")
        #expect(Timestamp(milliseconds: 100_000_000_000_000).rfc3339 == "5138-11-16T09:46:40.000Z")
    }

    @Test("the RFC 3339 range runs from year 0001 to year 9999")
    func range() {
        #expect(Timestamp.earliest.rfc3339 == "0001-01-01T00:00:00.000Z")
        #expect(Timestamp.latest.rfc3339 == "9999-12-31T23:59:59.999Z")
        #expect(Timestamp.latest.isInRFC3339Range)
        #expect(!Timestamp(milliseconds: Timestamp.latest.milliseconds + 1).isInRFC3339Range)
    }

    @Test("floor division puts times before 1970 on the right day")
    func floorDivision() {
        #expect(Int64(-1).floorDivided(by: 1000) == -1)
        #expect(Int64(-1000).floorDivided(by: 1000) == -1)
        #expect(Int64(-1001).floorDivided(by: 1000) == -2)
        #expect(Int64(999).floorDivided(by: 1000) == 0)
    }
}

extension UInt64 {
    fileprivate var toInt64: Int64 { Int64(self) }
}
