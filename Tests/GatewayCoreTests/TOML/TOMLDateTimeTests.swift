import Testing

@testable import GatewayCore

/// The four date and time kinds, told apart and checked against the calendar; only the kind is kept.
@Suite("TOML dates and times")
struct TOMLDateTimeTests {
    @Test("offset and local date-times, local dates and local times each read as their kind")
    func kinds() throws {
        let text = """
            odt1 = 1979-05-27T07:32:00Z
            odt2 = 1979-05-27T00:32:00-07:00
            odt3 = 1979-05-27T00:32:00.999999+07:30
            odt4 = 1979-05-27 07:32:00z
            ldt1 = 1979-05-27T07:32:00
            ldt2 = 1979-05-27t00:32:00.5
            ld = 1979-05-27 # a date, then a comment
            lt1 = 07:32:00
            lt2 = 00:32:00.999999
            leap = 2000-02-29
            leapSecond = 1990-12-31T23:59:60Z
            all = [1979-05-27, 07:32:00, 1979-05-27T07:32:00Z]
            """
        let dateTime = TOMLNode.dateOrTime(kind: "a date-time")
        let date = TOMLNode.dateOrTime(kind: "a date")
        let time = TOMLNode.dateOrTime(kind: "a time")
        #expect(
            try TOMLTesting.parse(text) == [
                "odt1": dateTime, "odt2": dateTime, "odt3": dateTime, "odt4": dateTime, "ldt1": dateTime,
                "ldt2": dateTime,
                "ld": date, "lt1": time, "lt2": time, "leap": date, "leapSecond": dateTime,
                "all": .array([date, time, dateTime]),
            ])
    }

    static let invalid: [InvalidTOML] = [
        InvalidTOML("d = 1979-05-27T:00", 1, 16, "found ':00', expected a two-digit hour after 'T'"),
        InvalidTOML("d = 1979-05-27T", 1, 16, "found the end of the file, expected a two-digit hour after 'T'"),
        InvalidTOML("d = 1979-13-01", 1, 10, "found month 13, expected a month from 01 to 12"),
        InvalidTOML("d = 1979-00-01", 1, 10, "found month 00, expected a month from 01 to 12"),
        InvalidTOML("d = 2023-02-29", 1, 13, "found day 29, expected a day from 01 to 28 in February 2023"),
        InvalidTOML("d = 1900-02-29", 1, 13, "found day 29, expected a day from 01 to 28 in February 1900"),
        InvalidTOML("d = 2024-04-31", 1, 13, "found day 31, expected a day from 01 to 30 in April 2024"),
        InvalidTOML("d = 2024-01-00", 1, 13, "found day 00, expected a day from 01 to 31 in January 2024"),
        InvalidTOML("d = 1979-5-27", 1, 10, "found '5-27', expected a two-digit month"),
        InvalidTOML("t = 24:00:00", 1, 5, "found hour 24, expected an hour from 00 to 23"),
        InvalidTOML("t = 07:60:00", 1, 8, "found minute 60, expected a minute from 00 to 59"),
        InvalidTOML("t = 07:32:61", 1, 11, "found second 61, expected a second from 00 to 60"),
        InvalidTOML(
            "t = 07:32", 1, 10, "found the end of the file, expected ':' and the seconds (TOML 1.0 times have seconds)"),
        InvalidTOML(
            "t = 07:32:00.", 1, 14, "found the end of the file, expected digits of a fraction of a second after '.'"),
        InvalidTOML("d = 1979-05-27T07:32:00+7:00", 1, 25, "found '7:00', expected a two-digit offset hour"),
        InvalidTOML(
            "d = 1979-05-27T07:32:00+24:00", 1, 25, "found offset hour 24, expected an offset hour from 00 to 23"),
        InvalidTOML("d = 1979-05-27T07:32:00Zx", 1, 25, "found 'x', expected the end of the line after the value of d"),
        InvalidTOML("t = 07:32:00Z", 1, 13, "found 'Z', expected the end of the line after the value of t"),
    ]

    @Test("malformed or impossible dates and times are named with their line and column", arguments: invalid)
    func invalidDates(_ invalid: InvalidTOML) {
        invalid.check()
    }
}
