/// The saved form of a `RuleEngineState`: a compact binary snapshot, written straight into a byte
/// array and read back from it without building anything in between.
///
/// JSON took a second and a transient tree of several MiB for 10,000 sensors, on every restart
/// and every save; this layout is mostly fixed-width numbers, written and read in one pass.
///
/// ## Layout (version 1)
///
/// All numbers little-endian and fixed-width; a string is a `UInt32` byte count and its UTF-8.
///
///     header   "SGRS"  version: UInt32  payload bytes: UInt64  checksum: UInt64   (24 bytes)
///     payload  names:   UInt32 count, then each name
///              alerts:  UInt32 count, then each alert
///              sensors: UInt32 count, then each sensor
///
/// - **names**: every rule and metric name, once; the rest refers to them by their `UInt32` index.
///   Rules are kept by name, never by position, so the state survives a reordered config.
/// - **alert**: id (string), rule (name), sensor (string), metric (name), severity `UInt8`,
///   state `UInt8`, at (epoch ms, `Int64`), a presence byte (bit 0: value, bit 1: threshold), then
///   those that are present as `Float64`.
/// - **sensor**: its id (string), `UInt32` series count, then each series: metric (name), time
///   (epoch ms, `Int64`), value `Float64`, a presence byte (bit 0: steadySince, bit 1: held, bit 2:
///   windows), then those that are present: steadySince `Int64`; held as `UInt32` count × (rule
///   name, since `Int64`); windows as `UInt32` count × (rule name, anchor `Float64`, `UInt32`
///   count × offset `Float32`).
///
/// The checksum (`SnapshotChecksum`) covers the payload, so a damaged snapshot is refused before it
/// is read; every length is still checked against the bytes left, so no input can make the reader
/// run past the end. A snapshot from an older release (JSON, which starts with `{`) has no magic
/// and is refused as such: the rules then start afresh, as after any unreadable snapshot.
enum RuleStateSnapshot {
    static let magic: [UInt8] = Array("SGRS".utf8)
    static let version: UInt32 = 1
    static let headerSize = 24

    /// The state as snapshot bytes.
    static func encode(_ state: RuleEngineState) -> [UInt8] {
        let names = RuleStatePayload.names(of: state)
        // The exact size, so the array is allocated once: a snapshot of 10,000 sensors is a few
        // MiB, and a doubling on the way would leave the old buffer behind.
        var writer = SnapshotWriter(capacity: headerSize + RuleStatePayload.size(of: state, names: names))
        writer.write(bytes: [UInt8](repeating: 0, count: headerSize))  // filled in by `seal`
        RuleStatePayload.write(state, names: names, to: &writer)
        var bytes = writer.finish()
        seal(&bytes)
        return bytes
    }

    /// Reads a snapshot made by `encode`.
    static func decode(_ bytes: [UInt8]) throws(RuleStateSnapshotError) -> RuleEngineState {
        // `withUnsafeBytes` rethrows untyped errors: carry the typed one out in a `Result`.
        let read = bytes.withUnsafeBytes { all in
            Result { () throws(RuleStateSnapshotError) -> RuleEngineState in
                var reader = SnapshotReader(try payload(of: all), startingAt: headerSize)
                let state = try RuleStatePayload.read(&reader)
                try reader.expectEnd()
                return state
            }
        }
        return try read.get()
    }

    /// The payload, once the header says it is a whole, undamaged snapshot of this version.
    private static func payload(of all: UnsafeRawBufferPointer) throws(RuleStateSnapshotError) -> UnsafeRawBufferPointer {
        guard all.count >= magic.count, all.prefix(magic.count).elementsEqual(magic) else {
            throw RuleStateSnapshotError(.notASnapshot, at: 0)
        }
        guard all.count >= headerSize else { throw RuleStateSnapshotError(.truncated, at: all.count) }
        let version = UInt32(littleEndian: all.loadUnaligned(fromByteOffset: 4, as: UInt32.self))
        guard version == Self.version else { throw RuleStateSnapshotError(.unsupportedVersion(version), at: 4) }
        let payloadSize = UInt64(littleEndian: all.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
        guard payloadSize == UInt64(all.count - headerSize) else {
            throw RuleStateSnapshotError(
                payloadSize > UInt64(all.count - headerSize) ? .truncated : .trailingBytes, at: all.count)
        }
        let payload = UnsafeRawBufferPointer(rebasing: all[headerSize...])
        let checksum = UInt64(littleEndian: all.loadUnaligned(fromByteOffset: 16, as: UInt64.self))
        guard checksum == SnapshotChecksum.of(payload) else { throw RuleStateSnapshotError(.checksumMismatch, at: 16) }
        return payload
    }

    /// Writes the header over the first `headerSize` bytes, for the payload that follows them.
    static func seal(_ bytes: inout [UInt8]) {
        let payloadSize = UInt64(bytes.count - headerSize)
        bytes.withUnsafeMutableBytes { all in
            let checksum = SnapshotChecksum.of(UnsafeRawBufferPointer(rebasing: all[headerSize...]))
            magic.withUnsafeBytes { all.copyMemory(from: $0) }
            all.storeBytes(of: version.littleEndian, toByteOffset: 4, as: UInt32.self)
            all.storeBytes(of: payloadSize.littleEndian, toByteOffset: 8, as: UInt64.self)
            all.storeBytes(of: checksum.littleEndian, toByteOffset: 16, as: UInt64.self)
        }
    }
}

extension RuleEngineState {
    /// The state as a compact binary snapshot, for the store (`RuleStateSnapshot`).
    public func snapshot() -> [UInt8] {
        RuleStateSnapshot.encode(self)
    }

    /// Reads a snapshot made by `snapshot()`.
    ///
    /// - Throws: `RuleStateSnapshotError` for anything else: an older format, a damaged or cut
    ///   short snapshot. Never reads past the end, whatever the bytes.
    public init(snapshot bytes: [UInt8]) throws(RuleStateSnapshotError) {
        self = try RuleStateSnapshot.decode(bytes)
    }
}
