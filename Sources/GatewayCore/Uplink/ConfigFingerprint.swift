/// A fingerprint of the configuration file, sent in `status` as `config_hash` so a hub can see that
/// a gateway's configuration changed: FNV-1a, 64 bits, over the file's bytes exactly as read.
///
/// A change detector, not a security hash: anyone can write two files with the same fingerprint.
public struct ConfigFingerprint: Sendable, Hashable, CustomStringConvertible {
    public var value: UInt64

    public init(value: UInt64) {
        self.value = value
    }

    public init(bytes: some Sequence<UInt8>) {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        value = hash
    }

    /// `fnv1a64:` and 16 lowercase hex digits, as in `status`.
    public var description: String {
        let hex = String(value, radix: 16)
        return "fnv1a64:" + String(repeating: "0", count: 16 - hex.count) + hex
    }
}
