/// Stateless, seeded noise: a value depends only on its key and position, never on what was asked
/// before. So a reading can be computed for any device at any time, in any order, and is the same
/// whether the simulation started an hour or a year earlier.
enum Noise {
    /// Mixes several 64-bit parts into one key.
    static func key(_ parts: UInt64...) -> UInt64 {
        var hash: UInt64 = 0x6A09_E667_F3BC_C909
        for part in parts {
            hash = SplitMix64.finalize((hash ^ part) &+ 0x9E37_79B9_7F4A_7C15)
        }
        return hash
    }

    /// A stable 64-bit label for a name (FNV-1a); Swift's `Hasher` is seeded per process, so unusable here.
    static func label(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in text.utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
        }
        return hash
    }

    /// 0 ..< 1 from a key.
    static func unit(_ key: UInt64) -> Double {
        Double(SplitMix64.finalize(key) >> 11) * 0x1p-53
    }

    /// -1 ..< 1 from a key.
    static func signed(_ key: UInt64) -> Double {
        unit(key) * 2 - 1
    }

    /// Smooth value noise in -1 ... 1: random levels at whole positions, eased between them, so a
    /// sensor drifts rather than jumps. `position` is in cells (e.g. hours / period).
    static func smooth(_ key: UInt64, at position: Double) -> Double {
        let cell = position.rounded(.down)
        let fraction = position - cell
        let index = UInt64(bitPattern: Int64(cell))
        let from = signed(Noise.key(key, index))
        let to = signed(Noise.key(key, index &+ 1))
        let eased = fraction * fraction * (3 - 2 * fraction)
        return from + (to - from) * eased
    }

    /// Two octaves of smooth noise: slow swings with some faster texture, still in -1 ... 1.
    static func drift(_ key: UInt64, at position: Double) -> Double {
        (smooth(key, at: position) * 2 + smooth(key &+ 1, at: position * 3.7)) / 3
    }
}
