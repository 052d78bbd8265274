import LinearAlgebra

/// `sgemm` on both cores without touching OpenBLAS's global thread count: the output C is cut into fixed
/// blocks of rows or columns (whichever side is longer) and `parallelFor` hands the blocks to its workers,
/// each one single-threaded `sgemm` that writes only its own block — no reduction, no shared writes.
///
/// The blocks depend only on the shapes, never on the number of workers, so results are bit-identical
/// whether one worker or two ran them (fits are reproducible on any machine). OpenBLAS stays on one thread
/// because its thread count is process-wide: raising it for training would also split every concurrent
/// request's scoring call (docs/ARCHITECTURE.md, Numerics).
package enum TiledGEMM {
    /// Rows or columns of C per block. 256 columns × a 200-wide hidden layer is ~200 KB of B per block: big
    /// enough for sgemm's own blocking, small enough that two workers balance.
    package static let blockSize = 256
    /// Below this many multiply-adds the call runs as one block (splitting costs more than it saves).
    package static let minimumSplitWork = 1 << 18

    /// `C = alpha · op(A) · op(B) + beta · C`, row-major, op(A) m×k, op(B) k×n, C m×n, on up to `maxWorkers`
    /// workers (0: one per core).
    package static func multiply(
        _ transposeA: BLAS.Transpose, _ transposeB: BLAS.Transpose, m: Int, n: Int, k: Int, alpha: Float,
        a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int, beta: Float,
        c: UnsafeMutablePointer<Float>, ldc: Int, maxWorkers: Int = 0
    ) {
        guard m > 0, n > 0 else { return }
        guard k > 0 else {
            // Nothing to multiply: C = beta · C, as sgemm would leave it.
            for row in 0..<m {
                for column in 0..<n { c[row * ldc + column] = beta == 0 ? 0 : beta * c[row * ldc + column] }
            }
            return
        }
        let work = m * n * k
        guard work >= minimumSplitWork, max(m, n) > blockSize else {
            BLAS.gemm(transposeA, transposeB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb,
                      beta: beta, c: c, ldc: ldc)
            return
        }
        if n >= m {
            let blocks = (n + blockSize - 1) / blockSize
            parallelFor(count: blocks, maxWorkers: maxWorkers) { range, _ in
                for block in range {
                    let start = block * blockSize, width = min(blockSize, n - start)
                    let bBlock = transposeB == .none ? b + start : b + start * ldb
                    BLAS.gemm(transposeA, transposeB, m: m, n: width, k: k, alpha: alpha, a: a, lda: lda, b: bBlock,
                              ldb: ldb, beta: beta, c: c + start, ldc: ldc)
                }
            }
        } else {
            let blocks = (m + blockSize - 1) / blockSize
            parallelFor(count: blocks, maxWorkers: maxWorkers) { range, _ in
                for block in range {
                    let start = block * blockSize, height = min(blockSize, m - start)
                    let aBlock = transposeA == .none ? a + start * lda : a + start
                    BLAS.gemm(transposeA, transposeB, m: height, n: n, k: k, alpha: alpha, a: aBlock, lda: lda,
                              b: b, ldb: ldb, beta: beta, c: c + start * ldc, ldc: ldc)
                }
            }
        }
    }
}
