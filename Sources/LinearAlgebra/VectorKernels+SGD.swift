extension VectorKernels {
    /// One coupled SGD step on two factor rows (Funk's update, as Surprise's `SVD` does it): with the old values
    /// `p` and `q`, `p += rate·(error·q − penalty·p)` and `q += rate·(error·p − penalty·q)`. `p` and `q` must
    /// not overlap.
    @inlinable
    package static func coupledStep(
        _ p: UnsafeMutablePointer<Float>, _ q: UnsafeMutablePointer<Float>, count: Int, rate: Float, error: Float,
        penalty: Float
    ) {
        let scaledError = SIMD8<Float>(repeating: rate * error), decay = SIMD8<Float>(repeating: 1 - rate * penalty)
        var index = 0
        while index + 8 <= count {
            let oldP = load8(p + index), oldQ = load8(q + index)
            store8(decay * oldP + scaledError * oldQ, p + index)
            store8(decay * oldQ + scaledError * oldP, q + index)
            index += 8
        }
        while index < count {
            let oldP = p[index], oldQ = q[index]
            p[index] = (1 - rate * penalty) * oldP + rate * error * oldQ
            q[index] = (1 - rate * penalty) * oldQ + rate * error * oldP
            index += 1
        }
    }
}
