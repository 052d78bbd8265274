import LinearAlgebra

/// Exact ridge regressions of one row on a few gathered rows, for explicit ALS and `MF`'s fold-in: the `x`
/// (width `w`) minimising `‖G·x − t‖² + λ‖x‖²` for `G` n×w, solved in whichever form is smaller:
/// `(GᵀG + λI)·x = Gᵀt` (w×w) when n ≥ w, else `x = Gᵀ·α` with `(G·Gᵀ + λI)·α = t` (n×n). Both are the same
/// solution; most items have fewer ratings than the model has factors, so the second is the common one.
/// Float32 Cholesky (LAPACK `spotrf`), well conditioned for any λ > 0 on factor-sized values.
final class RidgeSolver {
    /// Row width `w`.
    let width: Int
    /// Rows the solver can take.
    let capacity: Int
    /// The gathered rows `G` (capacity × width, row-major), filled by the caller.
    let rows: UnsafeMutablePointer<Float>
    /// The targets `t` (capacity), filled by the caller.
    let targets: UnsafeMutablePointer<Float>
    private let system: UnsafeMutablePointer<Float>
    private let rightSide: UnsafeMutablePointer<Float>

    /// A solver for up to `capacity` rows of `width` values.
    init(width: Int, capacity: Int) {
        self.width = width
        self.capacity = max(1, capacity)
        rows = .allocate(capacity: self.capacity * width)
        targets = .allocate(capacity: self.capacity)
        let side = min(width, self.capacity)
        system = .allocate(capacity: max(1, side * side))
        rightSide = .allocate(capacity: max(1, side))
    }

    deinit {
        rows.deallocate()
        targets.deallocate()
        system.deallocate()
        rightSide.deallocate()
    }

    /// Solves for the first `count` gathered rows and targets into `x` (width values); false when the system is
    /// not positive definite (λ ≤ 0 with too few rows, or non-finite input).
    func solve(count: Int, regularization: Float, into x: UnsafeMutablePointer<Float>) -> Bool {
        precondition(count >= 1 && count <= capacity, "row count out of the solver's capacity")
        let w = width
        if count >= w {
            // Row-major upper triangle of GᵀG is the column-major lower triangle spotrf reads.
            BLAS.syrkTransposed(rows: count, columns: w, alpha: 1, a: rows, lda: w, beta: 0, c: system, ldc: w)
            for index in 0..<w { system[index * w + index] += regularization }
            BLAS.gemv(.transpose, rows: count, columns: w, alpha: 1, a: rows, lda: w, x: targets, beta: 0, y: rightSide)
            guard Self.choleskySolve(system, rightSide, size: w) else { return false }
            x.update(from: rightSide, count: w)
        } else {
            BLAS.gemm(.none, .transpose, m: count, n: count, k: w, alpha: 1, a: rows, lda: w, b: rows, ldb: w, beta: 0,
                      c: system, ldc: count)
            for index in 0..<count { system[index * count + index] += regularization }
            rightSide.update(from: targets, count: count)
            guard Self.choleskySolve(system, rightSide, size: count) else { return false }
            BLAS.gemv(.transpose, rows: count, columns: w, alpha: 1, a: rows, lda: w, x: rightSide, beta: 0, y: x)
        }
        return true
    }

    /// Solves `A·y = b` in place for a symmetric positive-definite A whose column-major lower triangle is set:
    /// Cholesky, then the two triangular solves. False when A is not positive definite.
    private static func choleskySolve(_ a: UnsafeMutablePointer<Float>, _ b: UnsafeMutablePointer<Float>, size: Int) -> Bool {
        guard LAPACK.choleskyLower(a, size: size, leadingDimension: size) == nil else { return false }
        // L[i, j] (i ≥ j) is a[i + j·size].
        for i in 0..<size {
            var value = b[i]
            for j in 0..<i { value -= a[i + j * size] * b[j] }
            b[i] = value / a[i + i * size]
        }
        for i in stride(from: size - 1, through: 0, by: -1) {
            var value = b[i]
            for j in (i + 1)..<max(i + 1, size) { value -= a[j + i * size] * b[j] }
            b[i] = value / a[i + i * size]
        }
        for i in 0..<size where !b[i].isFinite { return false }
        return true
    }
}
