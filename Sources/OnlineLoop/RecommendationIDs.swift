import Synchronization

/// Makes `recommendation_id`s: 15 URL-safe characters (base64url, 90 bits), opaque and unique.
///
/// An id is a per-process counter passed through a keyed 64-bit bijection (so ids do not reveal how many lists
/// were served, and two ids of one process never collide), behind a 26-bit per-process prefix; the prefix and
/// keys are random, so processes (restarts, replicas) collide only if both prefixes and mixed counters match.
/// Fifteen ASCII bytes fit Swift's small-string storage: making an id allocates nothing.
package final class RecommendationIDs: Sendable {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
    /// Characters in an id.
    package static let length = 15

    private let counter = Atomic<UInt64>(0)
    private let prefix: UInt64
    private let keys: (UInt64, UInt64)

    /// A generator with random keys (or keys from `seed`, for tests).
    package init(seed: UInt64? = nil) {
        var generator = SeededKeys(seed: seed ?? UInt64.random(in: .min ... .max))
        prefix = generator.next() & (1 << 26 - 1)
        keys = (generator.next(), generator.next())
    }

    /// The next id.
    package func next() -> String {
        let count = counter.add(1, ordering: .relaxed).oldValue
        let mixed = Self.mix(count &+ keys.0) ^ keys.1
        return String(unsafeUninitializedCapacity: Self.length) { buffer in
            // 90 bits: the prefix's 26, then the mixed counter's 64, six bits per character.
            for index in 0..<Self.length {
                let shift = 6 * (Self.length - 1 - index)
                let sextet = shift >= 64
                    ? (prefix >> UInt64(shift - 64)) & 63
                    : ((mixed >> UInt64(shift)) | (shift > 58 ? prefix << UInt64(64 - shift) : 0)) & 63
                buffer[index] = Self.alphabet[Int(sextet)]
            }
            return Self.length
        }
    }

    /// True when `text` has the shape of an id this type makes (any process's).
    package static func isWellFormed(_ text: String) -> Bool {
        text.utf8.count == length && text.utf8.allSatisfy { alphabet.contains($0) }
    }

    /// SplitMix64's finalizer: a bijection on 64 bits.
    private static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    private struct SeededKeys {
        var state: UInt64
        init(seed: UInt64) { state = seed }
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            return RecommendationIDs.mix(state)
        }
    }
}
