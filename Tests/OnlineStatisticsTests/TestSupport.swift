#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Whether `a` and `b` agree to a relative tolerance.
func isClose(_ a: Double, _ b: Double, relativeTolerance: Double) -> Bool {
    a == b || abs(a - b) <= relativeTolerance * max(abs(a), abs(b))
}

/// SplitMix64 (Steele, Lea & Flood), so simulations repeat exactly from their seed.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform draw from [0, 1) with 53 random bits.
    mutating func unit() -> Double {
        Double(next() >> 11) * 0x1p-53
    }

    /// The number of successes in `trials` independent trials of probability `probability`, drawn by inverting the
    /// binomial distribution function (one uniform, then the probabilities k = 0, 1, … by their recurrence until they
    /// add up past it): exact but for floating-point rounding, and about `trials × probability` steps, which keeps
    /// month-long simulations quick where a sum of Bernoulli draws would not be.
    /// - Precondition: `probability` < 1 and `trials` small enough that (1 − probability)^trials does not underflow.
    mutating func binomial(trials: Int, probability: Double) -> Int {
        var remaining = unit()
        var mass = pow(1 - probability, Double(trials))
        precondition(mass > 0, "(1 − p)^n underflows for n = \(trials), p = \(probability)")
        let odds = probability / (1 - probability)
        var successes = 0
        while remaining >= mass && successes < trials {
            remaining -= mass
            mass *= Double(trials - successes) / Double(successes + 1) * odds
            successes += 1
        }
        return successes
    }
}
