/// Why saved rule state cannot be read, and the byte offset where that was found.
public struct RuleStateSnapshotError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Reason: Sendable, Equatable {
        /// No magic: not a snapshot at all, or the JSON an older release saved.
        case notASnapshot
        case unsupportedVersion(UInt32)
        case truncated
        case trailingBytes
        case checksumMismatch
        case invalidUTF8
        /// An index into the names that is not there.
        case unknownName(UInt32)
        case unknownSeverity(UInt8)
        case unknownAlertState(UInt8)
        /// A presence byte with bits this version does not define.
        case unknownFlags(UInt8)
    }

    public var reason: Reason
    /// Offset of the first byte at fault, from the start of the snapshot.
    public var offset: Int

    public init(_ reason: Reason, at offset: Int) {
        self.reason = reason
        self.offset = offset
    }

    public var description: String {
        "\(reasonText) at byte \(offset)"
    }

    private var reasonText: String {
        switch reason {
        case .notASnapshot: "not a rule state snapshot (an older release's JSON, or other bytes)"
        case .unsupportedVersion(let version): "rule state snapshot version \(version), expected \(RuleStateSnapshot.version)"
        case .truncated: "the snapshot is cut short"
        case .trailingBytes: "bytes after the end of the snapshot"
        case .checksumMismatch: "the snapshot's checksum does not match: it is damaged"
        case .invalidUTF8: "a name that is not UTF-8"
        case .unknownName(let index): "name number \(index), which the snapshot does not have"
        case .unknownSeverity(let code): "unknown severity \(code)"
        case .unknownAlertState(let code): "unknown alert state \(code)"
        case .unknownFlags(let flags): "unknown presence flags \(flags)"
        }
    }
}
