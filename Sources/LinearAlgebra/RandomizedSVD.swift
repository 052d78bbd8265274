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
/// do not drown in rounding; finally B = Qᵀ·X (ℓ×n) gets a dense SVD, B = Û·Σ·Vᵀ (see `factorProjection`), and U = Q·Û. A matrix
/// wider than tall is decomposed as its transpose, so Ω always spans the smaller side, as scikit-learn's
/// `randomized_svd` does (the peer benchmark then runs the same algorithm; only the Gaussian draws differ).
/// The sparse products, the QR steps (`Orthonormalization`, CholeskyQR) and the Gaussian transforms run in
/// parallel over rows.
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
        var sketch = [Float](repeating: 0, count: n * width)
        sketch.withUnsafeMutableBufferPointer { generator.fillGaussian($0, maxWorkers: maxWorkers) }
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
        // Bᵀ = Xᵀ·Q (n×ℓ row-major): B = Qᵀ·X = Û·Σ·Vᵀ is the small SVD, and then U = Q·Û.
        basis.withUnsafeBufferPointer { q in
            itemSide.withUnsafeMutableBufferPointer { b in
                transpose.multiply(rowMajor: q.baseAddress!, width: width, into: b.baseAddress!, maxWorkers: maxWorkers)
            }
        }
        let factors = try Self.factorProjection(
            itemSide, basis: basis, rows: m, columns: n, width: width, rank: rank, maxWorkers: maxWorkers)
        u = factors.u
        singularValues = factors.singularValues
        v = factors.v
    }
}
