internal import COpenBLAS

/// Thin wrappers over OpenBLAS (single precision, row-major).
///
/// Pointers are unchecked, like the C API; the `DenseMatrix` helpers check shapes with preconditions.
package enum BLAS {
    /// Whether an operand is used as stored or transposed.
    package enum Transpose: Sendable {
        /// Use the matrix as stored.
        case none
        /// Use the transpose of the stored matrix.
        case transpose

        var cblas: CBLAS_TRANSPOSE { self == .none ? CblasNoTrans : CblasTrans }
    }

    private static let configured: Void = {
        selectKernelsForThisCPU()
        openblas_set_num_threads(1)
    }()

    /// Makes OpenBLAS run every call on the calling thread (we parallelise over users/items ourselves) and
    /// makes sure it uses the vector kernels this CPU supports (see `selectKernelsForThisCPU`).
    /// Idempotent and thread-safe (the work runs once). Call it early, before the process starts threads of
    /// its own, because the kernel fix-up may set an environment variable; models call it too.
    package static func useSingleThread() {
        configured
    }

    /// The OpenBLAS kernel set in use (e.g. "Haswell", "SkylakeX", "Prescott").
    package static var coreName: String {
        openblas_get_corename().map { String(cString: $0) } ?? "unknown"
    }

    /// `C = alpha · op(A) · op(B) + beta · C` with op(A) m×k, op(B) k×n, C m×n, all row-major.
    package static func gemm(
        _ transposeA: Transpose, _ transposeB: Transpose, m: Int, n: Int, k: Int, alpha: Float,
        a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int, beta: Float,
        c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        cblas_sgemm(
            CblasRowMajor, transposeA.cblas, transposeB.cblas, blasint(m), blasint(n), blasint(k), alpha, a,
            blasint(lda), b, blasint(ldb), beta, c, blasint(ldc))
    }

    /// `y = alpha · op(A) · x + beta · y` with A rows×columns row-major.
    package static func gemv(
        _ transposeA: Transpose, rows: Int, columns: Int, alpha: Float, a: UnsafePointer<Float>, lda: Int,
        x: UnsafePointer<Float>, beta: Float, y: UnsafeMutablePointer<Float>
    ) {
        cblas_sgemv(
            CblasRowMajor, transposeA.cblas, blasint(rows), blasint(columns), alpha, a, blasint(lda), x, 1, beta, y,
            1)
    }

    /// Dot product of the first `count` elements of `x` and `y`.
    package static func dot(count: Int, _ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>) -> Float {
        cblas_sdot(blasint(count), x, 1, y, 1)
    }

    /// `y += alpha · x` over `count` elements.
    package static func axpy(count: Int, alpha: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>) {
        cblas_saxpy(blasint(count), alpha, x, 1, y, 1)
    }

    /// Which side of the other operand a triangular matrix stands on.
    package enum Side: Sendable {
        /// `op(L)⁻¹ · B`.
        case left
        /// `B · op(L)⁻¹`.
        case right
    }

    /// Column-major `B := op(L)⁻¹ · B` (`.left`) or `B := B · op(L)⁻¹` (`.right`), B m×n, L lower-triangular
    /// with a non-unit diagonal (its strict upper triangle is not read).
    package static func solveLowerTriangular(
        _ side: Side, _ transposeL: Transpose, m: Int, n: Int, l: UnsafePointer<Float>, ldl: Int,
        b: UnsafeMutablePointer<Float>, ldb: Int
    ) {
        cblas_strsm(
            CblasColMajor, side == .left ? CblasLeft : CblasRight, CblasLower, transposeL.cblas, CblasNonUnit,
            blasint(m), blasint(n), 1, l, blasint(ldl), b, blasint(ldb))
    }

    /// Column-major `C = alpha · op(A) · op(B) + beta · C` with op(A) m×k, op(B) k×n, C m×n.
    package static func gemmColumnMajor(
        _ transposeA: Transpose, _ transposeB: Transpose, m: Int, n: Int, k: Int, alpha: Float,
        a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int, beta: Float,
        c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        cblas_sgemm(
            CblasColMajor, transposeA.cblas, transposeB.cblas, blasint(m), blasint(n), blasint(k), alpha, a,
            blasint(lda), b, blasint(ldb), beta, c, blasint(ldc))
    }

    /// Upper triangle of `C = alpha · AᵀA + beta · C` for A rows×columns row-major, C columns×columns.
    package static func syrkTransposed(
        rows: Int, columns: Int, alpha: Float, a: UnsafePointer<Float>, lda: Int, beta: Float,
        c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        cblas_ssyrk(
            CblasRowMajor, CblasUpper, CblasTrans, blasint(columns), blasint(rows), alpha, a, blasint(lda), beta, c,
            blasint(ldc))
    }

    /// The Gram matrix `AᵀA + regularization · I` (columns × columns, both triangles filled).
    package static func gram(_ matrix: DenseMatrix, regularization: Float = 0) -> DenseMatrix {
        let size = matrix.columnCount
        var result = DenseMatrix(rowCount: size, columnCount: size)
        guard size > 0 else { return result }
        result.withUnsafeMutableBufferPointer { output in
            let c = output.baseAddress!
            if matrix.rowCount > 0 {
                matrix.withUnsafeBufferPointer { input in
                    syrkTransposed(
                        rows: matrix.rowCount, columns: size, alpha: 1, a: input.baseAddress!, lda: size, beta: 0,
                        c: c, ldc: size)
                }
            }
            for row in 0..<size {
                c[row * size + row] += regularization
                for column in 0..<row { c[row * size + column] = c[column * size + row] }
            }
        }
        return result
    }

    /// `op(A) · op(B)` as a new matrix.
    package static func multiply(
        _ a: DenseMatrix, _ transposeA: Transpose = .none, _ b: DenseMatrix, _ transposeB: Transpose = .none
    ) -> DenseMatrix {
        let m = transposeA == .none ? a.rowCount : a.columnCount
        let k = transposeA == .none ? a.columnCount : a.rowCount
        let kB = transposeB == .none ? b.rowCount : b.columnCount
        let n = transposeB == .none ? b.columnCount : b.rowCount
        precondition(k == kB, "inner dimensions differ: \(k) vs \(kB)")
        var result = DenseMatrix(rowCount: m, columnCount: n)
        guard m > 0, n > 0, k > 0 else { return result }
        result.withUnsafeMutableBufferPointer { output in
            a.withUnsafeBufferPointer { left in
                b.withUnsafeBufferPointer { right in
                    gemm(
                        transposeA, transposeB, m: m, n: n, k: k, alpha: 1, a: left.baseAddress!,
                        lda: a.columnCount, b: right.baseAddress!, ldb: b.columnCount, beta: 0,
                        c: output.baseAddress!, ldc: n)
                }
            }
        }
        return result
    }
}
