internal import COpenBLAS

/// Orthonormal bases of the columns of tall, thin row-major float32 matrices: the QR steps of `RandomizedSVD`.
///
/// CholeskyQR (Fukaya et al. 2014) in double precision: R from the Cholesky factor of the Gram matrix YᵀY,
/// then Q = Y·R⁻¹ with R⁻¹ formed explicitly (ℓ×ℓ), so both passes over Y are `TallSkinny` chunks of level-3
/// BLAS on every core (`dsyrk`, `dgemm`), with the same bits on any number of workers. One pass leaves an
/// orthogonality error of about κ(Y)²·2⁻⁵³, under float32's rounding while κ(Y) stays below
/// `singlePassConditionLimit`; past it a second Gram matrix, of Y·R₁⁻¹ (formed chunk by chunk, never stored),
/// gives R₂ and Q = (Y·R₁⁻¹)·R₂⁻¹ (CholeskyQR2). CholeskyQR fails when a Gram matrix is not numerically
/// positive definite (Y of deficient rank, or κ(Y) past ~10⁸): then LAPACK's Householder QR (`sgelqf`,
/// several times slower on these shapes) runs instead.
package enum Orthonormalization {
    /// The largest estimated κ(R) for which one CholeskyQR pass is accurate to float32: κ²·2⁻⁵³ ≈ 10⁻¹⁰ at
    /// 1,000, with room for the estimate being off by the matrix order.
    static let singlePassConditionLimit = 1_000.0

    /// Replaces the `columns` columns of the row-major `rows`×`columns` matrix at `matrix` (`columns` ≤ `rows`)
    /// by an orthonormal basis of their span, in order (the Q of a QR factorisation, up to column signs).
    package static func orthonormalizeColumns(
        _ matrix: UnsafeMutablePointer<Float>, rows: Int, columns: Int, maxWorkers: Int = 0
    ) {
        precondition(columns <= rows, "orthonormalizeColumns needs columns ≤ rows")
        guard columns > 0 else { return }
        let gram = TallSkinny.gram(matrix, rows: rows, columns: columns, maxWorkers: maxWorkers)
        guard let first = upperCholeskyFactor(of: gram, size: columns) else {
            LAPACK.orthonormalizeColumns(matrix, rows: rows, columns: columns)
            return
        }
        let inverse = invertedUpperTriangle(first, size: columns)
        var correction: [Double]?
        if conditionEstimate(ofUpperTriangle: first, size: columns) > singlePassConditionLimit {
            let corrected = inverse.withUnsafeBufferPointer { transform in
                TallSkinny.gram(
                    matrix, rows: rows, columns: columns, transform: transform.baseAddress!, maxWorkers: maxWorkers)
            }
            guard let second = upperCholeskyFactor(of: corrected, size: columns) else {
                LAPACK.orthonormalizeColumns(matrix, rows: rows, columns: columns)
                return
            }
            correction = invertedUpperTriangle(second, size: columns)
        }
        inverse.withUnsafeBufferPointer { transform in
            guard let correction else {
                TallSkinny.multiply(
                    matrix, rows: rows, columns: columns, by: transform.baseAddress!, outputColumns: columns,
                    into: matrix, maxWorkers: maxWorkers)
                return
            }
            // (Y·R₁⁻¹)·R₂⁻¹, not Y·(R₁⁻¹·R₂⁻¹): R₂ corrects the Y·R₁⁻¹ whose Gram matrix gave it, and only
            // that product is well conditioned.
            correction.withUnsafeBufferPointer { then in
                TallSkinny.multiply(
                    matrix, rows: rows, columns: columns, by: transform.baseAddress!, then: then.baseAddress!,
                    outputColumns: columns, into: matrix, maxWorkers: maxWorkers)
            }
        }
    }

    /// R, row-major upper triangular with zeros below, such that RᵀR = `gram` (symmetric, row-major); nil when
    /// `gram` is not numerically positive definite.
    private static func upperCholeskyFactor(of gram: [Double], size: Int) -> [Double]? {
        var factor = gram
        // The row-major upper triangle is LAPACK's column-major lower one: dpotrf("L") leaves Rᵀ there, which
        // read row-major is R.
        var uplo = CChar(UInt8(ascii: "L"))
        var n = Int32(size), lda = Int32(size), info: Int32 = 0
        dpotrf_(&uplo, &n, &factor, &lda, &info, 1)
        guard info == 0 else { return nil }
        for row in 1..<max(1, size) {
            for column in 0..<row { factor[row * size + column] = 0 }
        }
        return factor
    }

    /// R⁻¹ of the row-major upper-triangular `factor` (non-singular), row-major with zeros below.
    private static func invertedUpperTriangle(_ factor: [Double], size: Int) -> [Double] {
        var inverse = factor
        var uplo = CChar(UInt8(ascii: "L")), diag = CChar(UInt8(ascii: "N"))
        var n = Int32(size), lda = Int32(size), info: Int32 = 0
        dtrtri_(&uplo, &diag, &n, &inverse, &lda, &info, 1, 1)
        precondition(info == 0, "dtrtri_: a Cholesky factor has a zero on its diagonal (\(info))")
        return inverse
    }

    /// LAPACK's estimate (`dtrcon`) of the condition number of the row-major upper-triangular `factor`.
    private static func conditionEstimate(ofUpperTriangle factor: [Double], size: Int) -> Double {
        var norm = CChar(UInt8(ascii: "1")), uplo = CChar(UInt8(ascii: "L")), diag = CChar(UInt8(ascii: "N"))
        var n = Int32(size), lda = Int32(size), info: Int32 = 0, reciprocal = 0.0
        var work = [Double](repeating: 0, count: 3 * size), iwork = [Int32](repeating: 0, count: size)
        dtrcon_(&norm, &uplo, &diag, &n, factor, &lda, &reciprocal, &work, &iwork, &info, 1, 1, 1)
        precondition(info == 0, "dtrcon_: invalid argument \(-info)")
        return reciprocal > 0 ? 1 / reciprocal : .infinity
    }
}
