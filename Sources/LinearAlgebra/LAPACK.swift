internal import COpenBLAS

/// Thin wrappers over the few LAPACK routines of OpenBLAS that Recsmith uses (single precision).
///
/// LAPACK is column-major: element (r, c) of a matrix with leading dimension `ld` is at `r + c·ld`. A row-major
/// m×n buffer read column-major is the n×m transpose, which the callers use on purpose. Calls run on the
/// calling thread (see `BLAS.useSingleThread`). Pointers are unchecked, like the C API.
package enum LAPACK {
    /// The factors of a singular value decomposition `A = U·diag(s)·Vᵀ`, column-major, `r = min(rows, columns)`.
    package struct SVD: Sendable {
        /// rows×r left singular vectors, column-major (leading dimension rows).
        package var u: [Float]
        /// The r singular values, descending.
        package var singularValues: [Float]
        /// r×columns right singular vectors as rows, column-major (leading dimension r).
        package var vt: [Float]
    }

    /// Factors the symmetric positive-definite `size`×`size` matrix at `matrix` in place: its lower triangle
    /// (column-major) becomes L with A = L·Lᵀ; the strict upper triangle is not touched. Returns nil, or the
    /// 0-based column where a leading minor is not positive definite.
    package static func choleskyLower(
        _ matrix: UnsafeMutablePointer<Float>, size: Int, leadingDimension: Int
    ) -> Int? {
        var uplo = CChar(UInt8(ascii: "L"))
        var n = Int32(size), lda = Int32(leadingDimension), info: Int32 = 0
        spotrf_(&uplo, &n, matrix, &lda, &info, 1)
        precondition(info >= 0, "spotrf_: invalid argument \(-info)")
        return info == 0 ? nil : Int(info) - 1
    }

    /// Replaces the `columns` columns of the row-major `rows`×`columns` matrix at `matrix` (`columns` ≤ `rows`)
    /// by an orthonormal basis of their span, in order: the Q of A = Q·R.
    ///
    /// Read column-major, the buffer is Aᵀ; the LQ factorisation of Aᵀ (`sgelqf`, `sorglq`) has Qᵀ as its
    /// orthonormal rows, which is Q row-major, so no transpose is copied.
    package static func orthonormalizeColumns(_ matrix: UnsafeMutablePointer<Float>, rows: Int, columns: Int) {
        precondition(columns <= rows, "orthonormalizeColumns needs columns ≤ rows")
        guard columns > 0 else { return }
        var m = Int32(columns), n = Int32(rows), k = Int32(columns), lda = Int32(columns), info: Int32 = 0
        var tau = [Float](repeating: 0, count: columns)
        var query: Float = 0, querySize: Int32 = -1
        sgelqf_(&m, &n, matrix, &lda, &tau, &query, &querySize, &info)
        var orthogonalQuery: Float = 0
        sorglq_(&m, &n, &k, matrix, &lda, &tau, &orthogonalQuery, &querySize, &info)
        var size = Int32(max(query, orthogonalQuery, Float(columns)))
        var work = [Float](repeating: 0, count: Int(size))
        sgelqf_(&m, &n, matrix, &lda, &tau, &work, &size, &info)
        precondition(info == 0, "sgelqf_: invalid argument \(-info)")
        sorglq_(&m, &n, &k, matrix, &lda, &tau, &work, &size, &info)
        precondition(info == 0, "sorglq_: invalid argument \(-info)")
    }

    /// The thin SVD of the column-major `rows`×`columns` matrix `a` (`sgesdd`, divide and conquer); nil when
    /// the iteration did not converge. `a` is consumed.
    package static func singularValueDecomposition(_ a: inout [Float], rows: Int, columns: Int) -> SVD? {
        precondition(a.count == rows * columns, "a must hold rows × columns values")
        let rank = min(rows, columns)
        guard rank > 0 else { return SVD(u: [], singularValues: [], vt: []) }
        var jobz = CChar(UInt8(ascii: "S"))
        var m = Int32(rows), n = Int32(columns), lda = Int32(rows), ldu = Int32(rows), ldvt = Int32(rank)
        var info: Int32 = 0
        var s = [Float](repeating: 0, count: rank)
        var u = [Float](repeating: 0, count: rows * rank)
        var vt = [Float](repeating: 0, count: rank * columns)
        var iwork = [Int32](repeating: 0, count: 8 * rank)
        var query: Float = 0, querySize: Int32 = -1
        sgesdd_(&jobz, &m, &n, &a, &lda, &s, &u, &ldu, &vt, &ldvt, &query, &querySize, &iwork, &info, 1)
        var size = Int32(query)
        var work = [Float](repeating: 0, count: max(1, Int(size)))
        sgesdd_(&jobz, &m, &n, &a, &lda, &s, &u, &ldu, &vt, &ldvt, &work, &size, &iwork, &info, 1)
        precondition(info >= 0, "sgesdd_: invalid argument \(-info)")
        return info == 0 ? SVD(u: u, singularValues: s, vt: vt) : nil
    }
}
