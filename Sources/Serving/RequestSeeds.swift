import Synchronization

/// A fresh seed for every answer of a sampling model (``Models/ModelKind/samplesRankings``) in the service, so
/// an exploration model (`random`, `softmax`) shows each request a new draw; `recsmith evaluate` fixes its seeds
/// from `--seed` instead.
///
/// A counter from a random start, each value mixed by SplitMix64's finaliser (a bijection): no two requests of
/// one process share a seed, and processes start far apart.
package final class RequestSeeds: Sendable {
    private let counter: Atomic<UInt64>

    /// Seeds counting from `start` (random by default; tests pass a fixed one).
    package init(start: UInt64 = .random(in: .min ... .max)) {
        counter = Atomic(start)
    }

    /// The next seed.
    package func next() -> UInt64 {
        var z = counter.wrappingAdd(0x9E37_79B9_7F4A_7C15, ordering: .relaxed).newValue
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
