import Testing

@testable import GatewayCore

/// The examples of RFC 8428 §5.1, verbatim, and the readings each must give.
///
/// Records without a time are "now", here the time received; times below 2^28 are relative to it.
@Suite("SenML: RFC 8428 examples")
struct SenMLExamplesTests {
    let decoder = PayloadFixture.decoder(.senml)
    let now = PayloadFixture.receivedAt.milliseconds

    func reading(_ name: String, _ value: Double, at milliseconds: Int64) -> Reading {
        Reading(sensor: PayloadFixture.sensor, metric: name, time: Timestamp(milliseconds: milliseconds), value: value)
    }

    @Test("5.1.1: a single datapoint")
    func singleDatapoint() {
        let pack = """
            [
              {"n":"urn:dev:ow:10e2073a01080063","u":"Cel","v":23.1}
            ]
            """
        #expect(decoder.decode(pack) == DecodeOutcome(readings: [
            reading("urn:dev:ow:10e2073a01080063", 23.1, at: now)
        ]))
    }

    @Test("5.1.2: multiple datapoints, at an unspecified time")
    func multipleDatapoints() {
        let pack = """
            [
              {"bn":"urn:dev:ow:10e2073a01080063:","n":"voltage","u":"V","v":120.1},
              {"n":"current","u":"A","v":1.2}
            ]
            """
        #expect(decoder.decode(pack) == DecodeOutcome(readings: [
            reading("urn:dev:ow:10e2073a01080063:voltage", 120.1, at: now),
            reading("urn:dev:ow:10e2073a01080063:current", 1.2, at: now),
        ]))
    }

    @Test("5.1.2: multiple datapoints, at a base time and each second before it")
    func multipleDatapointsWithTimes() {
        let pack = """
            [
              {"bn":"urn:dev:ow:10e2073a0108006:","bt":1.276020076001e+09,
               "bu":"A","bver":5,
               "n":"voltage","u":"V","v":120.1},
              {"n":"current","t":-5,"v":1.2},
              {"n":"current","t":-4,"v":1.3},
              {"n":"current","t":-3,"v":1.4},
              {"n":"current","t":-2,"v":1.5},
              {"n":"current","t":-1,"v":1.6},
              {"n":"current","v":1.7}
            ]
            """
        // Tue Jun 8 18:01:16.001 UTC 2010
        let base: Int64 = 1_276_020_076_001
        #expect(decoder.decode(pack) == DecodeOutcome(readings: [
            reading("urn:dev:ow:10e2073a0108006:voltage", 120.1, at: base),
            reading("urn:dev:ow:10e2073a0108006:current", 1.2, at: base - 5000),
            reading("urn:dev:ow:10e2073a0108006:current", 1.3, at: base - 4000),
            reading("urn:dev:ow:10e2073a0108006:current", 1.4, at: base - 3000),
            reading("urn:dev:ow:10e2073a0108006:current", 1.5, at: base - 2000),
            reading("urn:dev:ow:10e2073a0108006:current", 1.6, at: base - 1000),
            reading("urn:dev:ow:10e2073a0108006:current", 1.7, at: base),
        ]))
    }

    static let multipleMeasurements = """
        [
          {"bn":"urn:dev:ow:10e2073a01080063","bt":1.320067464e+09,
           "bu":"%RH","v":20},
          {"u":"lon","v":24.30621},
          {"u":"lat","v":60.07965},
          {"t":60,"v":20.3},
          {"u":"lon","t":60,"v":24.30622},
          {"u":"lat","t":60,"v":60.07965},
          {"t":120,"v":20.7},
          {"u":"lon","t":120,"v":24.30623},
          {"u":"lat","t":120,"v":60.07966},
          {"u":"%EL","t":150,"v":98},
          {"t":180,"v":21.2},
          {"u":"lon","t":180,"v":24.30628},
          {"u":"lat","t":180,"v":60.07967}
        ]
        """

    static let resolvedData = """
        [
          {"n":"urn:dev:ow:10e2073a01080063","u":"%RH","t":1.320067464e+09,
           "v":20},
          {"n":"urn:dev:ow:10e2073a01080063","u":"lon","t":1.320067464e+09,
           "v":24.30621},
          {"n":"urn:dev:ow:10e2073a01080063","u":"lat","t":1.320067464e+09,
           "v":60.07965},
          {"n":"urn:dev:ow:10e2073a01080063","u":"%RH","t":1.320067524e+09,
           "v":20.3},
          {"n":"urn:dev:ow:10e2073a01080063","u":"lon","t":1.320067524e+09,
           "v":24.30622},
          {"n":"urn:dev:ow:10e2073a01080063","u":"lat","t":1.320067524e+09,
           "v":60.07965},
          {"n":"urn:dev:ow:10e2073a01080063","u":"%RH","t":1.320067584e+09,
           "v":20.7},
          {"n":"urn:dev:ow:10e2073a01080063","u":"lon","t":1.320067584e+09,
           "v":24.30623},
          {"n":"urn:dev:ow:10e2073a01080063","u":"lat","t":1.320067584e+09,
           "v":60.07966},
          {"n":"urn:dev:ow:10e2073a01080063","u":"%EL","t":1.320067614e+09,
           "v":98},
          {"n":"urn:dev:ow:10e2073a01080063","u":"%RH","t":1.320067644e+09,
           "v":21.2},
          {"n":"urn:dev:ow:10e2073a01080063","u":"lon","t":1.320067644e+09,
           "v":24.30628},
          {"n":"urn:dev:ow:10e2073a01080063","u":"lat","t":1.320067644e+09,
           "v":60.07967}
        ]
        """

    /// Both packs describe the same thirteen measurements from Mon Oct 31 13:24:24 UTC 2011 on.
    /// Units are not part of a reading, so the metric is the record's name for all of them.
    var measurements: [Reading] {
        let name = "urn:dev:ow:10e2073a01080063"
        let start: Int64 = 1_320_067_464_000
        return [
            (0, 20), (0, 24.30621), (0, 60.07965), (60, 20.3), (60, 24.30622), (60, 60.07965), (120, 20.7),
            (120, 24.30623), (120, 60.07966), (150, 98), (180, 21.2), (180, 24.30628), (180, 60.07967),
        ].map { (seconds: Int64, value: Double) in reading(name, value, at: start + seconds * 1000) }
    }

    @Test("5.1.3: multiple measurements, with base fields carried forward")
    func multipleMeasurements() {
        #expect(decoder.decode(Self.multipleMeasurements) == DecodeOutcome(readings: measurements))
    }

    @Test("5.1.4: the same measurements in resolved form give the same readings")
    func resolvedData() {
        #expect(decoder.decode(Self.resolvedData) == DecodeOutcome(readings: measurements))
        #expect(decoder.decode(Self.resolvedData) == decoder.decode(Self.multipleMeasurements))
    }

    @Test("5.1.5: numbers and booleans are read; string and data values fail on their own")
    func multipleDataTypes() {
        let pack = """
            [
              {"bn":"urn:dev:ow:10e2073a01080063:","n":"temp","u":"Cel","v":23.1},
              {"n":"label","vs":"Machine Room"},
              {"n":"open","vb":false},
              {"n":"nfc-reader","vd":"aGkgCg"}
            ]
            """
        #expect(decoder.decode(pack) == DecodeOutcome(
            readings: [
                reading("urn:dev:ow:10e2073a01080063:temp", 23.1, at: now),
                reading("urn:dev:ow:10e2073a01080063:open", 0, at: now),
            ],
            failures: [
                DecodeFailure(.notANumber, "record 2: the value is a string (vs), not a number"),
                DecodeFailure(.notANumber, "record 4: the value is data (vd), not a number"),
            ]))
    }

    @Test("5.1.6: a collection of resources, where a later base name replaces the first")
    func collectionOfResources() {
        let pack = """
            [
              {"bn":"2001:db8::2/","bt":1.320078429e+09,
               "n":"temperature","u":"Cel","v":25.2},
              {"n":"humidity","u":"%RH","v":30},
              {"bn":"2001:db8::1/","n":"temperature","u":"Cel","v":12.3},
              {"n":"humidity","u":"%RH","v":67}
            ]
            """
        // Mon Oct 31 16:27:09 UTC 2011; the last record keeps the first record's base time.
        let time: Int64 = 1_320_078_429_000
        #expect(decoder.decode(pack) == DecodeOutcome(readings: [
            reading("2001:db8::2/temperature", 25.2, at: time),
            reading("2001:db8::2/humidity", 30, at: time),
            reading("2001:db8::1/temperature", 12.3, at: time),
            reading("2001:db8::1/humidity", 67, at: time),
        ]))
    }

    @Test("5.1.7: setting an actuator, where the first record holds only a base name")
    func settingAnActuator() {
        let pack = """
            [
              {"bn":"urn:dev:ow:10e2073a01080063:"},
              {"n":"temp","u":"Cel","v":23.1},
              {"n":"heat","u":"/","v":1},
              {"n":"fan","u":"/","v":0}
            ]
            """
        #expect(decoder.decode(pack) == DecodeOutcome(readings: [
            reading("urn:dev:ow:10e2073a01080063:temp", 23.1, at: now),
            reading("urn:dev:ow:10e2073a01080063:heat", 1, at: now),
            reading("urn:dev:ow:10e2073a01080063:fan", 0, at: now),
        ]))
    }

    @Test("5.1.7: two lights turned on at a base time")
    func lightsOn() {
        let pack = """
            [
              {"bt":1.320078429e+09,"bu":"/","n":"2001:db8::3","v":1},
              {"n":"2001:db8::4","v":1}
            ]
            """
        #expect(decoder.decode(pack) == DecodeOutcome(readings: [
            reading("2001:db8::3", 1, at: 1_320_078_429_000),
            reading("2001:db8::4", 1, at: 1_320_078_429_000),
        ]))
    }

    @Test("5.1.7: two lights dimmed at once and switched off 100 ms later")
    func lightsOff() {
        let pack = """
            [
              {"bt":1.320078429e+09,"bu":"/","n":"2001:db8::3","v":0.5},
              {"n":"2001:db8::4","v":0.5},
              {"n":"2001:db8::3","t":0.1,"v":0},
              {"n":"2001:db8::4","t":0.1,"v":0}
            ]
            """
        #expect(decoder.decode(pack) == DecodeOutcome(readings: [
            reading("2001:db8::3", 0.5, at: 1_320_078_429_000),
            reading("2001:db8::4", 0.5, at: 1_320_078_429_000),
            reading("2001:db8::3", 0, at: 1_320_078_429_100),
            reading("2001:db8::4", 0, at: 1_320_078_429_100),
        ]))
    }
}
