import LinearAlgebra

/// This machine's single-precision matrix-multiply rate, the ceiling to compare model kernels with.
enum SGEMMRate {
    /// Median GFLOP/s (2·n³ flops per product) of `repetitions` float32 n×n×n products on `threads`
    /// threads. OpenBLAS stays on one thread; with more, C's rows are split into one contiguous block per
    /// thread run through `parallelFor`, the way the models parallelise.
    static func measure(size n: Int, threads: Int, repetitions: Int) -> Double {
        precondition(n > 0 && threads > 0 && repetitions > 0, "size, threads and repetitions must be positive")
        BLAS.useSingleThread()
        var generator = Xoshiro256StarStar(seed: 1)
        let a = (0..<(n * n)).map { _ in generator.nextUnitFloat() - 0.5 }
        let b = (0..<(n * n)).map { _ in generator.nextUnitFloat() - 0.5 }
        var c = [Float](repeating: 0, count: n * n)
        let blockRows = (n + threads - 1) / threads
        var samples = Samples()
        a.withUnsafeBufferPointer { left in
            b.withUnsafeBufferPointer { right in
                c.withUnsafeMutableBufferPointer { output in
                    let (a, b, c) = (left.baseAddress!, right.baseAddress!, output.baseAddress!)
                    // One untimed product first: pages touched, kernels and thread pool warm.
                    for repetition in 0...repetitions {
                        let run = {
                            parallelFor(count: threads, chunkSize: 1, maxWorkers: threads) { range, _ in
                                for block in range {
                                    let first = block * blockRows, rows = min(n, first + blockRows) - first
                                    guard rows > 0 else { continue }
                                    BLAS.gemm(
                                        .none, .none, m: rows, n: n, k: n, alpha: 1, a: a + first * n, lda: n, b: b,
                                        ldb: n, beta: 0, c: c + first * n, ldc: n)
                                }
                            }
                        }
                        if repetition == 0 { run() } else { samples.time(run) }
                    }
                }
            }
        }
        return 2 * Double(n) * Double(n) * Double(n) / samples.median / 1e9
    }
}
