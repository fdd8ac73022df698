extension PayloadDecoder {
    /// `format = "senml"`: one reading per record of an RFC 8428 pack (JSON representation).
    func decodeSenML(_ payload: UnsafeRawBufferPointer, fields: TopicFields, receivedAt: Timestamp) -> DecodeOutcome {
        let root: JSONValue
        switch parseJSON(payload) {
        case .success(let value): root = value
        case .failure(let failure): return DecodeOutcome(failures: [failure])
        }
        guard case .array(let records) = root else {
            return .failure(.badSenML, "the payload is \(root.kindDescription); a SenML pack is an array of records")
        }
        guard !records.isEmpty else {
            return .failure(.badSenML, "the pack has no records")
        }
        var pack = SenMLPack(sensor: settings.sensor.render(fields), receivedAt: receivedAt, expectedCount: records.count)
        for (offset, record) in records.enumerated() {
            guard case .object(let object) = record else {
                return .failure(.badSenML, "record \(offset + 1) is \(record.kindDescription); every record is an object")
            }
            if let failure = pack.add(object, number: offset + 1) {
                return DecodeOutcome(failures: [failure])
            }
        }
        if pack.outcome.readings.isEmpty && pack.outcome.failures.isEmpty {
            return .failure(.missingValue, "the pack has only base fields and no record with a value")
        }
        return pack.outcome
    }
}

/// Resolves the records of one pack in order (RFC 8428 §4.6), carrying the base fields forward.
private struct SenMLPack {
    let sensor: String
    let receivedAt: Timestamp
    var outcome = DecodeOutcome()

    var baseName = ""
    var baseTime = 0.0
    var baseValue = 0.0
    var baseSum = 0.0

    init(sensor: String, receivedAt: Timestamp, expectedCount: Int) {
        self.sensor = sensor
        self.receivedAt = receivedAt
        outcome.readings.reserveCapacity(expectedCount)
    }

    /// Adds one record's reading or failure; returns a failure only when the whole pack fails.
    mutating func add(_ record: JSONObject, number: Int) -> DecodeFailure? {
        var fields = RecordFields()
        var recordFailure: DecodeFailure?
        func fail(_ reason: DeadLetterReason, _ detail: String) {
            if recordFailure == nil { recordFailure = DecodeFailure(reason, "record \(number): \(detail)") }
        }
        func packFailure(_ detail: String) -> DecodeFailure {
            DecodeFailure(.badSenML, "record \(number): \(detail)")
        }

        // Members in order, so with duplicate keys the last one wins, as in any JSON lookup.
        for member in record.members {
            let key = member.key
            let value = member.value
            switch SenMLLabel(key) {
            // Base fields apply to this record and every later one, until replaced.
            case .bn:
                guard case .string(let text) = value else { return packFailure("bn is \(value.kindDescription); expected a string") }
                baseName = text
            case .bt:
                guard case .number(let number) = value else { return packFailure("bt is \(value.kindDescription); expected a number") }
                baseTime = number
            case .bv:
                guard case .number(let number) = value else { return packFailure("bv is \(value.kindDescription); expected a number") }
                baseValue = number
            case .bs:
                guard case .number(let number) = value else { return packFailure("bs is \(value.kindDescription); expected a number") }
                baseSum = number
            case .bu:
                guard case .string = value else { return packFailure("bu is \(value.kindDescription); expected a string") }
            case .bver:
                // Any version is accepted: the fields we read mean the same in every version so far.
                guard case .number = value else { return packFailure("bver is \(value.kindDescription); expected a number") }

            // Regular fields belong to this record alone.
            case .n:
                fields.hasRegularField = true
                guard case .string(let text) = value else { fail(.badSenML, "n is \(value.kindDescription); expected a string"); continue }
                fields.name = text
            case .u:
                fields.hasRegularField = true
                guard case .string = value else { fail(.badSenML, "u is \(value.kindDescription); expected a string"); continue }
            case .v:
                fields.hasRegularField = true
                guard case .number(let number) = value else { fail(.notANumber, "v is \(value.kindDescription); expected a number"); continue }
                fields.value = number
            case .vb:
                fields.hasRegularField = true
                guard case .bool(let flag) = value else { fail(.notANumber, "vb is \(value.kindDescription); expected a boolean"); continue }
                fields.boolean = flag
            case .vs, .vd:
                fields.hasRegularField = true
                guard case .string = value else { fail(.badSenML, "\(key) is \(value.kindDescription); expected a string"); continue }
                fields.textValueKey = key
            case .s:
                fields.hasRegularField = true
                guard case .number(let number) = value else { fail(.notANumber, "s is \(value.kindDescription); expected a number"); continue }
                fields.sum = number
            case .t:
                fields.hasRegularField = true
                guard case .number(let number) = value else { fail(.badTime, "t is \(value.kindDescription); expected a number"); continue }
                fields.time = number
            case .ut:
                fields.hasRegularField = true
                guard case .number = value else { fail(.badSenML, "ut is \(value.kindDescription); expected a number"); continue }
            case .other:
                // RFC 8428 §4.4: a field whose name ends in '_' must be understood, or the pack
                // must not be used. Other unknown fields are extensions we may ignore.
                if key.utf8.last == UInt8(ascii: "_") {
                    return packFailure("a field ending in '_' must be understood (RFC 8428 §4.4), and this one is not known here")
                }
            }
        }

        // A record of base fields alone sets context for the records after it (RFC 8428 §5.1.7).
        guard fields.hasRegularField || recordFailure != nil else { return nil }
        if let recordFailure {
            outcome.failures.append(recordFailure)
            return nil
        }
        switch resolve(fields, number: number) {
        case .success(let reading): outcome.readings.append(reading)
        case .failure(let failure): outcome.failures.append(failure)
        }
        return nil
    }

    private func resolve(_ fields: RecordFields, number: Int) -> Result<Reading, DecodeFailure> {
        func failure(_ reason: DeadLetterReason, _ detail: String) -> Result<Reading, DecodeFailure> {
            .failure(DecodeFailure(reason, "record \(number): \(detail)"))
        }
        let name = baseName + (fields.name ?? "")
        if let problem = senMLNameProblem(name) {
            return failure(.badSenML, problem)
        }
        let value: Double
        if let recordValue = fields.value {
            value = baseValue + recordValue
        } else if let flag = fields.boolean {
            value = flag ? 1 : 0
        } else if let sum = fields.sum {
            value = baseSum + sum
        } else if let key = fields.textValueKey {
            return failure(.notANumber, "the value is \(key == "vs" ? "a string (vs)" : "data (vd)"), not a number")
        } else {
            return failure(.missingValue, "no value (v, vb, vs, vd) and no sum (s)")
        }
        guard value.isFinite else {
            return failure(.notFinite, "the value with its base value is not a finite number")
        }
        // RFC 8428 §4.5.3: a time below 2^28 is relative to now, here the time received;
        // negative times are in the past, zero or none is now.
        let seconds = baseTime + (fields.time ?? 0)
        let time: Timestamp?
        if seconds < 268_435_456 {
            time = Timestamp(checkedMilliseconds: Double(receivedAt.milliseconds) + seconds * 1000)
        } else {
            time = Timestamp.fromSeconds(seconds)
        }
        guard let time else {
            return failure(.badTime, "the time (bt + t) is not finite or falls outside years 0001 to 9999")
        }
        return .success(Reading(sensor: sensor, metric: name, time: time, value: value))
    }
}

/// The regular fields of one record.
private struct RecordFields {
    var hasRegularField = false
    var name: String?
    var value: Double?
    var boolean: Bool?
    var sum: Double?
    var time: Double?
    /// "vs" or "vd" when the record carries a value we cannot store as a number.
    var textValueKey: String?
}

/// The labels of RFC 8428 §4.2 and §4.3 (JSON representation).
private enum SenMLLabel {
    case bn, bt, bu, bv, bs, bver, n, u, v, vs, vb, vd, s, t, ut, other

    /// Every label is at most four ASCII bytes, so the key packed into an integer picks the
    /// case in one comparison instead of a chain of string comparisons.
    @inline(__always)
    init(_ key: String) {
        let utf8 = key.utf8
        guard utf8.count <= 4 else {
            self = .other
            return
        }
        var packed: UInt32 = 0
        for byte in utf8 { packed = packed << 8 | UInt32(byte) }
        switch packed {
        case 0x626E: self = .bn  // "bn"
        case 0x6274: self = .bt  // "bt"
        case 0x6275: self = .bu  // "bu"
        case 0x6276: self = .bv  // "bv"
        case 0x6273: self = .bs  // "bs"
        case 0x6276_6572: self = .bver  // "bver"
        case 0x6E: self = .n  // "n"
        case 0x75: self = .u  // "u"
        case 0x76: self = .v  // "v"
        case 0x7673: self = .vs  // "vs"
        case 0x7662: self = .vb  // "vb"
        case 0x7664: self = .vd  // "vd"
        case 0x73: self = .s  // "s"
        case 0x74: self = .t  // "t"
        case 0x7574: self = .ut  // "ut"
        default: self = .other
        }
    }
}

/// Why `name` breaks RFC 8428 §4.5.1, or nil when it follows it: not empty, only a-z, A-Z, 0-9
/// and "-:./_", starting with a letter or digit. The name itself is left out of the message:
/// it is payload content.
func senMLNameProblem(_ name: String) -> String? {
    name.withUTF8Bytes { bytes in
        guard let first = bytes.first else {
            return "the name is empty (no bn and no n)"
        }
        guard isASCIIAlphanumeric(first) else {
            return "the name starts with a character other than a letter or digit (RFC 8428 §4.5.1)"
        }
        for offset in 1..<bytes.count {
            switch bytes[offset] {
            case UInt8(ascii: "-"), UInt8(ascii: ":"), UInt8(ascii: "."), UInt8(ascii: "/"), UInt8(ascii: "_"):
                continue
            case let byte where isASCIIAlphanumeric(byte):
                continue
            default:
                return "the name has a character outside a-z, A-Z, 0-9 and -:./_ at byte \(offset + 1) (RFC 8428 §4.5.1)"
            }
        }
        return nil
    }
}

@inline(__always)
private func isASCIIAlphanumeric(_ byte: UInt8) -> Bool {
    switch byte {
    case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
        true
    default:
        false
    }
}
