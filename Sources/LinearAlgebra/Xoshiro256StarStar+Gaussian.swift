#if canImport(Glibc)
    import Glibc
#endif

extension Xoshiro256StarStar {
    /// A standard normal draw (Box–Muller on two 53-bit uniforms; the second value is dropped, so every draw
    /// costs two uniforms and the sequence does not depend on pairing).
    package mutating func nextGaussian() -> Float {
        let first = (Double(next() >> 11) + 1) * 0x1p-53  // (0, 1]: log is finite
        let second = Double(next() >> 11) * 0x1p-53
        return Float((-2 * log(first)).squareRoot() * cos(2 * Double.pi * second))
    }
}
