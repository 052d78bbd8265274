/// The index's distance kernel: the inner product of two float32 vectors.
///
/// `SIMD16<Float>` with two accumulators, summed by halving (`SIMD.sum()` adds the lanes one after the other,
/// which cost a third of the time). `recsmith-bench hnsw` measures it (its `hnsw-kernel` line) on 64-float
/// vectors in cache: 9.1–11.6 ns per product over seven runs on 2026-12-05, against 10.0–11.2 for
/// `VectorKernels.dot` (SIMD8, lanes summed in turn) and 7.7–10.0 for OpenBLAS's `sdot` (AVX-512 kernels, one
/// call per product) — within the shared machine's noise of each other. In a search the vectors come from
/// memory, and fetching them (`GraphStorage.prefetchVector`: 1.5–1.7× the queries a second of no prefetch) costs
/// more than any of the kernels, so the Swift kernel stays: it inlines into the search loop, where a call to
/// `sdot` would not.
package enum Dot {
    /// Σ x[i]·y[i] over `count` elements.
    @inlinable @inline(__always)
    package static func product(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, count: Int) -> Float {
        var first = SIMD16<Float>(), second = SIMD16<Float>()
        var index = 0
        while index + 32 <= count {
            first += load(x + index) * load(y + index)
            second += load(x + index + 16) * load(y + index + 16)
            index += 32
        }
        if index + 16 <= count {
            first += load(x + index) * load(y + index)
            index += 16
        }
        let sixteen = first + second
        let eight = sixteen.lowHalf + sixteen.highHalf
        let four = eight.lowHalf + eight.highHalf
        var sum = (four.lowHalf + four.highHalf).sum()
        while index < count {
            sum += x[index] * y[index]
            index += 1
        }
        return sum
    }

    @inlinable
    static func load(_ pointer: UnsafePointer<Float>) -> SIMD16<Float> {
        UnsafeRawPointer(pointer).loadUnaligned(as: SIMD16<Float>.self)
    }
}
