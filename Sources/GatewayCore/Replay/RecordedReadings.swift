/// Reads the CSV that `streetgate export` writes and `streetgate replay` takes: a header
/// `time,sensor,metric,value` (columns in any order), then one reading a line. Fields may be quoted
/// as RFC 4180 says; `time` is RFC 3339 or an epoch number (seconds, or milliseconds from 10¹¹ up,
/// as payload times are read).
public struct RecordedReadings: Sendable {
    public struct LineError: Error, Sendable, Equatable, CustomStringConvertible {
        public var line: Int
        public var message: String
        public var description: String { "line \(line): \(message)" }
    }

    private let columns: (time: Int, sensor: Int, metric: Int, value: Int)
    private let width: Int

    /// Reads the header line; throws when a column is missing.
    public init(header: String) throws(LineError) {
        let names = Self.fields(of: header).map { $0.trimmingASCIISpaces().lowercased() }
        func index(_ name: String) throws(LineError) -> Int {
            guard let index = names.firstIndex(of: name) else {
                throw LineError(line: 1, message: "the header has no \"\(name)\" column; expected time,sensor,metric,value")
            }
            return index
        }
        columns = (try index("time"), try index("sensor"), try index("metric"), try index("value"))
        width = names.count
    }

    /// One data line (`number` counts from 1, the header being line 1) as a reading.
    public func reading(_ line: String, number: Int) throws(LineError) -> Reading {
        let fields = Self.fields(of: line)
        guard fields.count == width else {
            throw LineError(line: number, message: "\(fields.count) fields; expected \(width)")
        }
        let timeText = fields[columns.time].trimmingASCIISpaces()
        let time: Timestamp
        if let parsed = Timestamp(rfc3339: timeText) {
            time = parsed
        } else if let number = Double(timeText), let parsed = Timestamp.fromEpochNumber(number) {
            time = parsed
        } else {
            throw LineError(line: number, message: "time \"\(timeText)\" is neither RFC 3339 nor epoch seconds")
        }
        let sensor = fields[columns.sensor]
        let metric = fields[columns.metric]
        guard !sensor.isEmpty, !metric.isEmpty else {
            throw LineError(line: number, message: "empty sensor or metric")
        }
        let valueText = fields[columns.value].trimmingASCIISpaces()
        guard let value = Double(valueText), value.isFinite else {
            throw LineError(line: number, message: "value \"\(valueText)\" is not a finite number")
        }
        return Reading(sensor: sensor, metric: metric, time: time, value: value)
    }

    /// Splits one CSV line; a quoted field may hold commas and doubled quotes.
    static func fields(of line: String) -> [String] {
        var fields: [String] = []
        var current = ""
        var quoted = false
        var iterator = line.makeIterator()
        while let character = iterator.next() {
            if quoted {
                if character == "\"" {
                    // A doubled quote is a quote; a single one ends the quoted part.
                    var lookahead = iterator
                    if lookahead.next() == "\"" {
                        current.append("\"")
                        iterator = lookahead
                    } else {
                        quoted = false
                    }
                } else {
                    current.append(character)
                }
            } else if character == "\"" {
                quoted = true
            } else if character == "," {
                fields.append(current)
                current = ""
            } else if character != "\r" && character != "\n" {
                current.append(character)
            }
        }
        fields.append(current)
        return fields
    }
}

extension String {
    func trimmingASCIISpaces() -> String {
        var scalars = Substring(self)
        while let first = scalars.first, first == " " || first == "\t" { scalars.removeFirst() }
        while let last = scalars.last, last == " " || last == "\t" { scalars.removeLast() }
        return String(scalars)
    }
}
