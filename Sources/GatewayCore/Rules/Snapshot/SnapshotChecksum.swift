/// A 64-bit checksum of the snapshot's payload, eight bytes a step: a few milliseconds for a
/// snapshot of 10,000 sensors on a slow board, where a byte-wise CRC would take several times that.
///
/// Not a cryptographic hash, only a damage check. Each step, `rotl((hash ^ word) · K, 23)` with an
/// odd `K`, is a bijection of the hash for a given word and one-to-one in the word for a given
/// hash, so a change confined to one 8-byte word, such as any single damaged byte, always changes
/// the result; wider damage goes unnoticed with a chance of about 2⁻⁶⁴.
enum SnapshotChecksum {
    static func of(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var hash = 0x243F_6A88_85A3_08D3 ^ UInt64(bytes.count)
        var offset = 0
        while offset + 8 <= bytes.count {
            hash = step(hash, UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self)))
            offset += 8
        }
        var tail: UInt64 = 0
        for (position, byte) in bytes[offset...].enumerated() {
            tail |= UInt64(byte) << (8 * position)
        }
        return finish(step(hash, tail))
    }

    @inline(__always)
    private static func step(_ hash: UInt64, _ word: UInt64) -> UInt64 {
        let mixed = (hash ^ word) &* 0x9E37_79B9_7F4A_7C15
        return (mixed &<< 23) | (mixed &>> 41)
    }

    /// Spreads the last word's bits over the whole result (each step here is a bijection too).
    private static func finish(_ hash: UInt64) -> UInt64 {
        var hash = hash
        hash ^= hash &>> 33
        hash &*= 0xFF51_AFD7_ED55_8CCD
        hash ^= hash &>> 33
        return hash
    }
}
