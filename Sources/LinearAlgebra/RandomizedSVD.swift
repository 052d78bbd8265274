#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Truncated SVD of a sparse matrix by randomized range finding (Halko, Martinsson & Tropp 2011, algorithms
/// 4.4 and 5.1), float32.
///
/// With ℓ = rank + oversamples sketch columns: Y = X·Ω for a seeded Gaussian Ω (n×ℓ), orthonormalised (QR);
/// then `powerIterations` times Z = Xᵀ·Q and Q = X·Z, each re-orthonormalised so small singular directions
/// do not drown in rounding; finally B = Qᵀ·X (ℓ×n) gets a dense SVD, B = Û·Σ·Vᵀ, and U = Q·Û. A matrix
/// wider than tall is decomposed as its transpose, so Ω always spans the smaller side, as scikit-learn's
/// `randomized_svd` does (the peer benchmark then runs the same algorithm; only the Gaussian draws differ).
/// The sparse products and the QR steps (`Orthonormalization`, CholeskyQR2) run in parallel over rows; the
/// small dense SVD is LAPACK's `sgesdd`.
package struct RandomizedSVD: Sendable {
    /// rows×rank left singular vectors, row-major.
    package let u: DenseMatrix
    /// The rank singular values, descending.
    package let singularValues: [Float]
    /// columns×rank right singular vectors (V, not Vᵀ), row-major.
    package let v: DenseMatrix

    /// Why the decomposition could not be computed.
    package enum Failure: Error, Equatable, Sendable {
        /// The small dense SVD did not converge (`sgesdd` info > 0).
        case denseSVDDidNotConverge
        /// `shouldContinue` returned false between two steps.
        case stopped
    }

    /// The top `rank` singular triplets of `matrix` (`rank` is capped at min(rows, columns)); `transposed` is
    /// `matrix.transposed()` when the caller has it. Reproducible for a seed whatever the number of workers.
    package init(
        _ matrix: CSRMatrix, transposed: CSRMatrix? = nil, rank requestedRank: Int, oversamples: Int,
        powerIterations: Int, seed: UInt64, maxWorkers: Int = 0, shouldContinue: () -> Bool = { true }
    ) throws(Failure) {
        precondition(requestedRank >= 0 && oversamples >= 0 && powerIterations >= 0)
        let m = matrix.rowCount, n = matrix.columnCount
        let rank = min(requestedRank, m, n)
        let width = min(rank + oversamples, m, n)
        guard rank > 0 else {
            u = DenseMatrix(rowCount: m, columnCount: 0)
            singularValues = []
            v = DenseMatrix(rowCount: n, columnCount: 0)
            return
        }
        BLAS.useSingleThread()
        let transpose = transposed ?? matrix.transposed()
        if m < n {
            let swapped = try RandomizedSVD(
                transpose, transposed: matrix, rank: requestedRank, oversamples: oversamples,
                powerIterations: powerIterations, seed: seed, maxWorkers: maxWorkers, shouldContinue: shouldContinue)
            u = swapped.v
            singularValues = swapped.singularValues
            v = swapped.u
            return
        }
        var generator = Xoshiro256StarStar(seed: seed)
        var sketch = (0..<(n * width)).map { _ in generator.nextGaussian() }
        var basis = [Float](repeating: 0, count: m * width)
        var itemSide = [Float](repeating: 0, count: n * width)
        // Q = orth(X·Ω)
        sketch.withUnsafeBufferPointer { omega in
            basis.withUnsafeMutableBufferPointer { q in
                matrix.multiply(rowMajor: omega.baseAddress!, width: width, into: q.baseAddress!, maxWorkers: maxWorkers)
                Orthonormalization.orthonormalizeColumns(q.baseAddress!, rows: m, columns: width, maxWorkers: maxWorkers)
            }
        }
        sketch = []
        for _ in 0..<powerIterations {
            guard shouldContinue() else { throw .stopped }
            basis.withUnsafeMutableBufferPointer { q in
                itemSide.withUnsafeMutableBufferPointer { z in
                    transpose.multiply(rowMajor: q.baseAddress!, width: width, into: z.baseAddress!, maxWorkers: maxWorkers)
                    Orthonormalization.orthonormalizeColumns(z.baseAddress!, rows: n, columns: width, maxWorkers: maxWorkers)
                    matrix.multiply(rowMajor: z.baseAddress!, width: width, into: q.baseAddress!, maxWorkers: maxWorkers)
                    Orthonormalization.orthonormalizeColumns(q.baseAddress!, rows: m, columns: width, maxWorkers: maxWorkers)
                }
            }
        }
        guard shouldContinue() else { throw .stopped }
        // Bᵀ = Xᵀ·Q, n×ℓ row-major, is B = Qᵀ·X column-major ℓ×n: what sgesdd takes.
        basis.withUnsafeBufferPointer { q in
            itemSide.withUnsafeMutableBufferPointer { b in
                transpose.multiply(rowMajor: q.baseAddress!, width: width, into: b.baseAddress!, maxWorkers: maxWorkers)
            }
        }
        guard let small = LAPACK.singularValueDecomposition(&itemSide, rows: width, columns: n) else {
            throw .denseSVDDidNotConverge
        }
        // Û is ℓ×ℓ column-major: row-major it is Ûᵀ, whose first `rank` rows are Û's first columns.
        var left = DenseMatrix(rowCount: m, columnCount: rank)
        basis.withUnsafeBufferPointer { q in
            small.u.withUnsafeBufferPointer { leftSmall in
                left.withUnsafeMutableBufferPointer { output in
                    BLAS.gemm(
                        .none, .transpose, m: m, n: rank, k: width, alpha: 1, a: q.baseAddress!, lda: width,
                        b: leftSmall.baseAddress!, ldb: width, beta: 0, c: output.baseAddress!, ldc: rank)
                }
            }
        }
        // Vᵀ is ℓ×n column-major (leading dimension ℓ): row-major it is V, n×ℓ; keep the first `rank` columns.
        var right = DenseMatrix(rowCount: n, columnCount: rank)
        for item in 0..<n {
            for component in 0..<rank { right[item, component] = small.vt[item * width + component] }
        }
        u = left
        singularValues = Array(small.singularValues.prefix(rank))
        v = right
    }
}
