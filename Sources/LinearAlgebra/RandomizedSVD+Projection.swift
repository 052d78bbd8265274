internal import COpenBLAS

extension RandomizedSVD {
    /// The smallest σ_rank/σ₁ for which the Gram route is accurate to float32: V = Bᵀ·Û·Σ⁻¹ is orthonormal to
    /// about 2⁻⁵³·(σ₁/σⱼ)², 10⁻⁸ here.
    static let smallestGramRatio = 1e-4

    /// U, Σ and V of the projection B = Qᵀ·X, given `transposedProjection` = Bᵀ (`columns`×`width` row-major)
    /// and `basis` = Q (`rows`×`width` row-major), truncated to `rank` triplets.
    ///
    /// B·Bᵀ is only ℓ×ℓ: its eigendecomposition in double (`dsyevd`) gives Û and Σ², then V = Bᵀ·Û·Σ⁻¹ and
    /// U = Q·Û are `TallSkinny` products on every core. This is several times faster than `sgesdd` on the ℓ×n
    /// matrix, which it replaces unless σ_rank is too small beside σ₁ (`smallestGramRatio`: a matrix of
    /// smaller rank than asked), where `sgesdd` runs as before.
    static func factorProjection(
        _ transposedProjection: [Float], basis: [Float], rows: Int, columns: Int, width: Int, rank: Int,
        maxWorkers: Int
    ) throws(Failure) -> (u: DenseMatrix, singularValues: [Float], v: DenseMatrix) {
        var left = DenseMatrix(rowCount: rows, columnCount: rank)
        var right = DenseMatrix(rowCount: columns, columnCount: rank)
        if let (vectors, values) = gramEigenvectors(transposedProjection, rows: columns, width: width, rank: rank,
            maxWorkers: maxWorkers)
        {
            // Eigenvalues come ascending: component j is eigenpair width − 1 − j, whose vector is the column-major
            // column, so T[i, j] = vectors[(width − 1 − j)·width + i].
            var uTransform = [Double](repeating: 0, count: width * rank)
            var vTransform = uTransform
            for component in 0..<rank {
                let vector = (width - 1 - component) * width
                for index in 0..<width {
                    uTransform[index * rank + component] = vectors[vector + index]
                    vTransform[index * rank + component] = vectors[vector + index] / values[component]
                }
            }
            project(transposedProjection, rows: columns, width: width, by: vTransform, into: &right, maxWorkers: maxWorkers)
            project(basis, rows: rows, width: width, by: uTransform, into: &left, maxWorkers: maxWorkers)
            return (left, values.map { Float($0) }, right)
        }
        var projection = transposedProjection
        // Bᵀ row-major is B column-major (ℓ×n, leading dimension ℓ): what sgesdd takes.
        guard let small = LAPACK.singularValueDecomposition(&projection, rows: width, columns: columns) else {
            throw .denseSVDDidNotConverge
        }
        // Û is ℓ×ℓ column-major: row-major it is Ûᵀ, whose first `rank` rows are Û's first columns.
        basis.withUnsafeBufferPointer { q in
            small.u.withUnsafeBufferPointer { leftSmall in
                left.withUnsafeMutableBufferPointer { output in
                    BLAS.gemm(
                        .none, .transpose, m: rows, n: rank, k: width, alpha: 1, a: q.baseAddress!, lda: width,
                        b: leftSmall.baseAddress!, ldb: width, beta: 0, c: output.baseAddress!, ldc: rank)
                }
            }
        }
        // Vᵀ is ℓ×n column-major (leading dimension ℓ): row-major it is V, n×ℓ; keep the first `rank` columns.
        for item in 0..<columns {
            for component in 0..<rank { right[item, component] = small.vt[item * width + component] }
        }
        return (left, Array(small.singularValues.prefix(rank)), right)
    }

    /// The eigenvectors (column-major, ascending eigenvalues) of the Gram matrix of the row-major
    /// `rows`×`width` matrix at `matrix`, and the `rank` largest singular values (square roots of its
    /// eigenvalues, descending); nil when the `rank`-th is below `smallestGramRatio` of the first or
    /// `dsyevd` fails.
    private static func gramEigenvectors(
        _ matrix: [Float], rows: Int, width: Int, rank: Int, maxWorkers: Int
    ) -> (vectors: [Double], singularValues: [Double])? {
        var gram = matrix.withUnsafeBufferPointer {
            TallSkinny.gram($0.baseAddress!, rows: rows, columns: width, maxWorkers: maxWorkers)
        }
        var jobz = CChar(UInt8(ascii: "V")), uplo = CChar(UInt8(ascii: "L"))
        var n = Int32(width), lda = Int32(width), info: Int32 = 0
        var eigenvalues = [Double](repeating: 0, count: width)
        var workQuery = 0.0, iworkQuery: Int32 = 0, workQuerySize: Int32 = -1, iworkQuerySize: Int32 = -1
        dsyevd_(
            &jobz, &uplo, &n, &gram, &lda, &eigenvalues, &workQuery, &workQuerySize, &iworkQuery, &iworkQuerySize,
            &info, 1, 1)
        var workSize = Int32(workQuery), iworkSize = iworkQuery
        var work = [Double](repeating: 0, count: max(1, Int(workSize)))
        var iwork = [Int32](repeating: 0, count: max(1, Int(iworkSize)))
        dsyevd_(&jobz, &uplo, &n, &gram, &lda, &eigenvalues, &work, &workSize, &iwork, &iworkSize, &info, 1, 1)
        guard info == 0, let largest = eigenvalues.last, largest > 0 else { return nil }
        let values = (0..<rank).map { eigenvalues[width - 1 - $0].squareRoot() }
        guard values[rank - 1] >= smallestGramRatio * values[0] else { return nil }
        return (gram, values)
    }

    /// `output` = `matrix`·`transform` (`rows`×`width` float times `width`×`output.columnCount` double).
    private static func project(
        _ matrix: [Float], rows: Int, width: Int, by transform: [Double], into output: inout DenseMatrix,
        maxWorkers: Int
    ) {
        let outputColumns = output.columnCount
        matrix.withUnsafeBufferPointer { source in
            transform.withUnsafeBufferPointer { small in
                output.withUnsafeMutableBufferPointer { target in
                    TallSkinny.multiply(
                        source.baseAddress!, rows: rows, columns: width, by: small.baseAddress!,
                        outputColumns: outputColumns, into: target.baseAddress!, maxWorkers: maxWorkers)
                }
            }
        }
    }
}
