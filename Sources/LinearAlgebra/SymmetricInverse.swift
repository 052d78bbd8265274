/// The inverse of a dense symmetric positive-definite float32 matrix, in place, with the work split over cores.
///
/// Two tiled phases on `blockSize`-wide column blocks, each a loop of independent BLAS/LAPACK calls run by
/// `parallelFor` (OpenBLAS itself stays on one thread, see `BLAS.useSingleThread`):
/// 1. Cholesky, right-looking: `spotrf` on the diagonal block, then the panel below it (`strsm`, split by row
///    blocks) and the trailing matrix (`sgemm`, split by column blocks) in parallel: A = L·Lᵀ.
/// 2. Inverse by column blocks: block J of P = A⁻¹ = L⁻ᵀ·L⁻¹ needs only the trailing triangle of L from J on
///    (rows above J are P's symmetric mirror): two `strsm` with that triangle, independent across blocks.
///    Together they cost the `2n³/3` flops of `spotri`, with no step that waits for another.
/// Each block's P lands in the strict upper triangle (column-major), which L does not use, and the diagonal in
/// a side array; a last pass mirrors P over L, so the buffer ends holding P in both triangles.
package enum SymmetricInverse {
    /// Why the inverse was not computed; the buffer's content is then undefined.
    package enum Failure: Error, Equatable, Sendable {
        /// The leading minor ending at `column` (0-based) is not positive definite.
        case notPositiveDefinite(column: Int)
        /// `shouldContinue` returned false between two steps.
        case stopped
    }

    /// Column-block width: large enough for efficient `sgemm`, small enough to balance two workers.
    package static let defaultBlockSize = 256

    /// Replaces the symmetric positive-definite `size`×`size` matrix at `matrix` (both triangles filled) by
    /// its inverse. `shouldContinue` is asked between steps (cancellation); `maxWorkers` 0 uses every core.
    package static func invert(
        _ matrix: UnsafeMutablePointer<Float>, size: Int, blockSize: Int = defaultBlockSize, maxWorkers: Int = 0,
        shouldContinue: () -> Bool = { true }
    ) throws(Failure) {
        precondition(size >= 0 && blockSize > 0)
        guard size > 0 else { return }
        BLAS.useSingleThread()
        try factor(matrix, size: size, blockSize: blockSize, maxWorkers: maxWorkers, shouldContinue: shouldContinue)
        guard shouldContinue() else { throw .stopped }
        let diagonal = UnsafeMutableBufferPointer<Float>.allocate(capacity: size)
        defer { diagonal.deallocate() }
        invertFactor(matrix, size: size, diagonal: diagonal.baseAddress!, blockSize: blockSize, maxWorkers: maxWorkers)
        mirrorUpperOverLower(matrix, size: size, diagonal: diagonal.baseAddress!, maxWorkers: maxWorkers)
    }

    /// Phase 1: L in the lower triangle (column-major).
    private static func factor(
        _ a: UnsafeMutablePointer<Float>, size n: Int, blockSize nb: Int, maxWorkers: Int, shouldContinue: () -> Bool
    ) throws(Failure) {
        let blocks = (n + nb - 1) / nb
        for k in 0..<blocks {
            guard shouldContinue() else { throw .stopped }
            let start = k * nb, width = min(nb, n - start)
            let diagonal = a + start + start * n
            if let column = LAPACK.choleskyLower(diagonal, size: width, leadingDimension: n) {
                throw .notPositiveDefinite(column: start + column)
            }
            let below = n - start - width
            guard below > 0 else { break }
            // Panel: A[rows below, block k] := A[rows below, block k] · L_kk⁻ᵀ, one row block per task.
            parallelFor(count: (below + nb - 1) / nb, maxWorkers: maxWorkers) { range, _ in
                for chunk in range {
                    let row = start + width + chunk * nb
                    BLAS.solveLowerTriangular(
                        .right, .transpose, m: min(nb, n - row), n: width, l: diagonal, ldl: n, b: a + row + start * n,
                        ldb: n)
                }
            }
            // Trailing matrix, one column block per task (tallest first): A[c:, c block] -= A[c:, k]·A[c block, k]ᵀ.
            // It also writes the strict upper part of each diagonal block, which L never reads.
            parallelFor(count: blocks - k - 1, maxWorkers: maxWorkers) { range, _ in
                for index in range {
                    let column = (k + 1 + index) * nb
                    BLAS.gemmColumnMajor(
                        .none, .transpose, m: n - column, n: min(nb, n - column), k: width, alpha: -1,
                        a: a + column + start * n, lda: n, b: a + column + start * n, ldb: n, beta: 1,
                        c: a + column + column * n, ldc: n)
                }
            }
        }
    }

    /// Phase 2: P's strict lower entries P[i, j] (i > j) into the strict upper slot (j, i), its diagonal into
    /// `diagonal`.
    private static func invertFactor(
        _ a: UnsafeMutablePointer<Float>, size n: Int, diagonal: UnsafeMutablePointer<Float>, blockSize nb: Int,
        maxWorkers: Int
    ) {
        let blocks = (n + nb - 1) / nb
        let workers = parallelWorkerCount(forChunks: blocks, maxWorkers: maxWorkers)
        let workspace = UnsafeMutableBufferPointer<Float>.allocate(capacity: workers * n * nb)
        defer { workspace.deallocate() }
        parallelFor(count: blocks, maxWorkers: workers) { range, worker in
            let w = workspace.baseAddress! + worker * n * nb
            for block in range {
                let start = block * nb, width = min(nb, n - start), rows = n - start
                let trailing = a + start + start * n
                // W = E (the identity's columns of this block, rows from `start`), then L₂₂⁻ᵀ·L₂₂⁻¹·E.
                w.update(repeating: 0, count: rows * width)
                for column in 0..<width { w[column + column * rows] = 1 }
                BLAS.solveLowerTriangular(.left, .none, m: rows, n: width, l: trailing, ldl: n, b: w, ldb: rows)
                BLAS.solveLowerTriangular(.left, .transpose, m: rows, n: width, l: trailing, ldl: n, b: w, ldb: rows)
                for column in 0..<width { diagonal[start + column] = w[column + column * rows] }
                // Row by row, so the writes into the strict upper triangle are contiguous.
                for row in 1..<max(1, rows) {
                    let target = a + start + (start + row) * n
                    for column in 0..<min(width, row) { target[column] = w[row + column * rows] }
                }
            }
        }
    }

    /// Copies the strict upper triangle over the strict lower one and sets the diagonal, in 64×64 tiles.
    private static func mirrorUpperOverLower(
        _ a: UnsafeMutablePointer<Float>, size n: Int, diagonal: UnsafePointer<Float>, maxWorkers: Int
    ) {
        let tile = 64
        let tiles = (n + tile - 1) / tile
        parallelFor(count: tiles, maxWorkers: maxWorkers) { range, _ in
            for tileColumn in range {
                let firstColumn = tileColumn * tile, lastColumn = min(n, firstColumn + tile)
                for column in firstColumn..<lastColumn { a[column + column * n] = diagonal[column] }
                var firstRow = firstColumn
                while firstRow < n {
                    let lastRow = min(n, firstRow + tile)
                    for column in firstColumn..<lastColumn {
                        for row in max(firstRow, column + 1)..<max(lastRow, column + 1) {
                            a[row + column * n] = a[column + row * n]
                        }
                    }
                    firstRow = lastRow
                }
            }
        }
    }
}
