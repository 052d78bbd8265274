/// Small dense-vector kernels for hot loops over short vectors (factor rows of 32–256 floats), where a
/// BLAS call costs more than the arithmetic. Written with `SIMD8` so they vectorise at any target CPU.
package enum VectorKernels {
    /// Σ x[i]·y[i] over `count` elements.
    @inlinable
    package static func dot(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, count: Int) -> Float {
        var low = SIMD8<Float>(), high = SIMD8<Float>()
        var index = 0
        while index + 16 <= count {
            low += load8(x + index) * load8(y + index)
            high += load8(x + index + 8) * load8(y + index + 8)
            index += 16
        }
        if index + 8 <= count {
            low += load8(x + index) * load8(y + index)
            index += 8
        }
        var sum = (low + high).sum()
        while index < count {
            sum += x[index] * y[index]
            index += 1
        }
        return sum
    }

    /// y[i] += alpha·x[i] over `count` elements.
    @inlinable
    package static func axpy(_ alpha: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) {
        let scale = SIMD8<Float>(repeating: alpha)
        var index = 0
        while index + 8 <= count {
            store8(load8(y + index) + scale * load8(x + index), y + index)
            index += 8
        }
        while index < count {
            y[index] += alpha * x[index]
            index += 1
        }
    }

    /// Σ x[i]² over `count` elements.
    @inlinable
    package static func squaredNorm(_ x: UnsafePointer<Float>, count: Int) -> Float {
        dot(x, x, count: count)
    }

    @inlinable
    static func load8(_ pointer: UnsafePointer<Float>) -> SIMD8<Float> {
        UnsafeRawPointer(pointer).loadUnaligned(as: SIMD8<Float>.self)
    }

    @inlinable
    static func load8(_ pointer: UnsafeMutablePointer<Float>) -> SIMD8<Float> {
        UnsafeRawPointer(pointer).loadUnaligned(as: SIMD8<Float>.self)
    }

    @inlinable
    static func store8(_ value: SIMD8<Float>, _ pointer: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(pointer).storeBytes(of: value, as: SIMD8<Float>.self)
    }
}
