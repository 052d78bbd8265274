/// The xoshiro256** generator (Blackman & Vigna), seeded through SplitMix64.
///
/// Fast, 256 bits of state, and reproducible: the same seed gives the same sequence on every run and
/// platform. Not cryptographically secure.
package struct Xoshiro256StarStar: RandomNumberGenerator, Sendable {
    @usableFromInline var state: (UInt64, UInt64, UInt64, UInt64)

    /// A generator whose whole state is derived from `seed` by SplitMix64.
    package init(seed: UInt64) {
        var mixer = seed
        func splitMix() -> UInt64 {
            mixer &+= 0x9E37_79B9_7F4A_7C15
            var z = mixer
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        state = (splitMix(), splitMix(), splitMix(), splitMix())
    }

    /// A generator for stream `stream` of `seed`, e.g. one per worker thread; streams of one seed differ.
    package init(seed: UInt64, stream: UInt64) {
        self.init(seed: seed ^ (stream &+ 1) &* 0xD1B5_4A32_D192_ED03)
    }

    /// The next 64 random bits.
    @inlinable
    package mutating func next() -> UInt64 {
        let result = rotateLeft(state.1 &* 5, by: 7) &* 9
        let shifted = state.1 << 17
        state.2 ^= state.0
        state.3 ^= state.1
        state.1 ^= state.2
        state.0 ^= state.3
        state.2 ^= shifted
        state.3 = rotateLeft(state.3, by: 45)
        return result
    }

    /// A float uniform in [0, 1) with 24 random bits.
    @inlinable
    package mutating func nextUnitFloat() -> Float {
        Float(next() >> 40) * 0x1p-24
    }

    /// An integer uniform in `0..<bound` (Lemire's multiply-shift with rejection; unbiased).
    @inlinable
    package mutating func nextIndex(below bound: Int) -> Int {
        precondition(bound > 0, "bound must be positive")
        let range = UInt64(bound)
        var product = next().multipliedFullWidth(by: range)
        if product.low < range {
            let threshold = (0 &- range) % range
            while product.low < threshold {
                product = next().multipliedFullWidth(by: range)
            }
        }
        return Int(product.high)
    }

    @inlinable
    func rotateLeft(_ value: UInt64, by amount: UInt64) -> UInt64 {
        (value << amount) | (value >> (64 - amount))
    }
}
