import LinearAlgebra

/// Whether `a` and `b` agree to a relative tolerance (absolute near zero).
func isClose(_ a: Float, _ b: Float, relativeTolerance: Float = 1e-4) -> Bool {
    let scale = max(abs(a), abs(b), 1)
    return abs(a - b) <= relativeTolerance * scale
}

/// A seeded generator for test inputs.
func makeGenerator(_ seed: UInt64 = 42) -> Xoshiro256StarStar {
    Xoshiro256StarStar(seed: seed)
}
