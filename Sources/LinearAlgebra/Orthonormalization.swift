internal import COpenBLAS

/// Orthonormal bases of the columns of tall, thin row-major float32 matrices: the QR steps of `RandomizedSVD`.
///
/// CholeskyQR2 (Fukaya et al. 2014) in double precision: R from the Cholesky factor of the Gram matrix YᵀY,
/// Q = Y·R⁻¹, twice. Every step is level-3 BLAS split over fixed row chunks (`dsyrk` partial Gram matrices
/// summed in chunk order, `dtrsm` per chunk), so it runs on every core and gives the same bits on any number
/// of workers. LAPACK's Householder QR (`sgelqf`) spends most of its time in level-2 updates on such shapes,
/// several times slower. CholeskyQR fails when YᵀY is not numerically positive definite (Y of deficient
/// rank, or a condition number past ~10⁸): then the Householder path runs instead.
package enum Orthonormalization {
    /// Rows per chunk of the parallel steps.
    static let chunkRows = 4096

    /// Replaces the `columns` columns of the row-major `rows`×`columns` matrix at `matrix` (`columns` ≤ `rows`)
    /// by an orthonormal basis of their span, in order (the Q of a QR factorisation, up to column signs).
    package static func orthonormalizeColumns(
        _ matrix: UnsafeMutablePointer<Float>, rows: Int, columns: Int, maxWorkers: Int = 0
    ) {
        precondition(columns <= rows, "orthonormalizeColumns needs columns ≤ rows")
        guard columns > 0 else { return }
        let count = rows * columns
        let wide = UnsafeMutableBufferPointer<Double>.allocate(capacity: count)
        defer { wide.deallocate() }
        for index in 0..<count { wide[index] = Double(matrix[index]) }
        guard choleskyStep(wide.baseAddress!, rows: rows, columns: columns, maxWorkers: maxWorkers),
            choleskyStep(wide.baseAddress!, rows: rows, columns: columns, maxWorkers: maxWorkers)
        else {
            LAPACK.orthonormalizeColumns(matrix, rows: rows, columns: columns)
            return
        }
        for index in 0..<count { matrix[index] = Float(wide[index]) }
    }

    /// One CholeskyQR pass in place: Y := Y·R⁻¹ with RᵀR = YᵀY. False (Y untouched) when YᵀY is not positive
    /// definite.
    private static func choleskyStep(
        _ y: UnsafeMutablePointer<Double>, rows: Int, columns: Int, maxWorkers: Int
    ) -> Bool {
        let chunks = (rows + chunkRows - 1) / chunkRows, square = columns * columns
        let partial = UnsafeMutableBufferPointer<Double>.allocate(capacity: chunks * square)
        defer { partial.deallocate() }
        parallelFor(count: chunks, maxWorkers: maxWorkers) { range, _ in
            for chunk in range {
                let first = chunk * chunkRows
                cblas_dsyrk(
                    CblasRowMajor, CblasUpper, CblasTrans, blasint(columns), blasint(min(chunkRows, rows - first)), 1,
                    y + first * columns, blasint(columns), 0, partial.baseAddress! + chunk * square, blasint(columns))
            }
        }
        let gram = partial.baseAddress!
        for chunk in 1..<max(1, chunks) {
            for index in 0..<square { gram[index] += gram[chunk * square + index] }
        }
        // The row-major upper triangle is LAPACK's column-major lower one: dpotrf("L") leaves R (YᵀY = RᵀR)
        // in it, row-major upper.
        var uplo = CChar(UInt8(ascii: "L"))
        var n = Int32(columns), lda = Int32(columns), info: Int32 = 0
        dpotrf_(&uplo, &n, gram, &lda, &info, 1)
        guard info == 0 else { return false }
        parallelFor(count: chunks, maxWorkers: maxWorkers) { range, _ in
            for chunk in range {
                let first = chunk * chunkRows
                cblas_dtrsm(
                    CblasRowMajor, CblasRight, CblasUpper, CblasNoTrans, CblasNonUnit,
                    blasint(min(chunkRows, rows - first)), blasint(columns), 1, gram, blasint(columns),
                    y + first * columns, blasint(columns))
            }
        }
        return true
    }
}
