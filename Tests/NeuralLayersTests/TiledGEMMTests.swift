import LinearAlgebra
import NeuralLayers
import TestSupport
import Testing

/// The tiled sgemm equals one plain sgemm, whatever the number of workers.
struct TiledGEMMTests {
    @Test(arguments: [(BLAS.Transpose.none, BLAS.Transpose.none), (.transpose, .none), (.none, .transpose)])
    func tilesGiveTheSameProductOnOneOrTwoWorkers(_ transposeA: BLAS.Transpose, _ transposeB: BLAS.Transpose) {
        var generator = Xoshiro256StarStar(seed: 10)
        for (m, n, k) in [(700, 90, 40), (30, 1000, 50), (3, 5, 2)] {
            let a = GradientCheck.uniform(m * k, -1...1, &generator), b = GradientCheck.uniform(k * n, -1...1, &generator)
            let lda = transposeA == .none ? k : m, ldb = transposeB == .none ? n : k
            var plain = [Float](repeating: 0.5, count: m * n)
            BLAS.gemm(transposeA, transposeB, m: m, n: n, k: k, alpha: 2, a: a, lda: lda, b: b, ldb: ldb, beta: 1,
                      c: &plain, ldc: n)
            for workers in [1, 2] {
                var tiled = [Float](repeating: 0.5, count: m * n)
                TiledGEMM.multiply(transposeA, transposeB, m: m, n: n, k: k, alpha: 2, a: a, lda: lda, b: b, ldb: ldb,
                                   beta: 1, c: &tiled, ldc: n, maxWorkers: workers)
                let error = zip(plain, tiled).map { abs($0 - $1) }.max() ?? 0
                #expect(error < 1e-4, "\(m)×\(n)×\(k) on \(workers) workers")
            }
            var one = [Float](repeating: 0, count: m * n), two = one
            TiledGEMM.multiply(transposeA, transposeB, m: m, n: n, k: k, alpha: 1, a: a, lda: lda, b: b, ldb: ldb,
                               beta: 0, c: &one, ldc: n, maxWorkers: 1)
            TiledGEMM.multiply(transposeA, transposeB, m: m, n: n, k: k, alpha: 1, a: a, lda: lda, b: b, ldb: ldb,
                               beta: 0, c: &two, ldc: n, maxWorkers: 2)
            #expect(one == two, "the blocks do not depend on the workers")
        }
    }
}
