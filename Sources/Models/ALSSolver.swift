import LinearAlgebra
import Synchronization

/// The per-row least-squares solves of implicit ALS.
///
/// For a row u with entries (i, c_i) (signed confidence: c > 0 is preference 1 with confidence c, c ≤ 0 is
/// preference 0 with confidence |c|) and fixed factors Y, the new factor solves
/// `(YᵀY + λI + Σ_i (|c_i| − 1) y_i y_iᵀ) x = Σ_{c_i > 0} c_i y_i`.
enum ALSSolver {
    /// Re-solves every row of `target` against `fixed`; returns the first row whose exact system was not
    /// positive definite, or nil. Rows without entries become zero (as in implicit).
    static func solveRows(
        confidences: CSRMatrix, fixed: DenseMatrix, target: inout DenseMatrix, regularization: Float,
        solver: ALSParameters.Solver, cgSteps: Int, threads: Int
    ) -> Int? {
        let factors = fixed.columnCount
        let gram = BLAS.gram(fixed, regularization: regularization)
        var longest = 0
        for row in 0..<confidences.rowCount { longest = max(longest, confidences.nonzeroCount(ofRow: row)) }
        let chunkSize = 32
        let workers = parallelWorkerCount(
            forChunks: (confidences.rowCount + chunkSize - 1) / chunkSize, maxWorkers: threads)
        let workspaces = (0..<workers).map { _ in
            ALSWorkspace(factors: factors, capacity: longest, exact: solver == .cholesky)
        }
        let firstFailure = Atomic<Int>(Int.max)
        let offsets = confidences.rowOffsets
        target.withUnsafeMutableBufferPointer { targetBuffer in
            fixed.withUnsafeBufferPointer { fixedBuffer in
                gram.withUnsafeBufferPointer { gramBuffer in
                    confidences.columns.withUnsafeBufferPointer { columns in
                        confidences.values.withUnsafeBufferPointer { values in
                            let output = targetBuffer.baseAddress!
                            parallelFor(count: confidences.rowCount, chunkSize: chunkSize, maxWorkers: workers) {
                                range, worker in
                                let workspace = workspaces[worker]
                                for row in range {
                                    let start = offsets[row], count = offsets[row + 1] - start
                                    let x = output + row * factors
                                    guard count > 0 else {
                                        x.update(repeating: 0, count: factors)
                                        continue
                                    }
                                    for entry in 0..<count {
                                        (workspace.gathered + entry * factors).update(
                                            from: fixedBuffer.baseAddress! + Int(columns[start + entry]) * factors,
                                            count: factors)
                                    }
                                    let signed = values.baseAddress! + start
                                    switch solver {
                                    case .conjugateGradient:
                                        conjugateGradient(
                                            x: x, count: count, confidences: signed, gram: gramBuffer.baseAddress!,
                                            steps: cgSteps, workspace: workspace)
                                    case .cholesky:
                                        if !exact(
                                            x: x, count: count, confidences: signed, gram: gramBuffer.baseAddress!,
                                            workspace: workspace)
                                        {
                                            firstFailure.min(row, ordering: .relaxed)
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        let failure = firstFailure.load(ordering: .relaxed)
        return failure == Int.max ? nil : failure
    }

    /// `steps` conjugate-gradient steps on the row's system, starting from (and updating) `x`, exactly as
    /// implicit's `least_squares_cg`. `workspace.gathered` holds the row's fixed-side factors.
    static func conjugateGradient(
        x: UnsafeMutablePointer<Float>, count: Int, confidences: UnsafePointer<Float>, gram: UnsafePointer<Float>,
        steps: Int, workspace: ALSWorkspace
    ) {
        let f = workspace.factors
        let rows = workspace.gathered, t = workspace.projections, weights = workspace.confidenceMinusOne
        let r = workspace.residual, p = workspace.direction, ap = workspace.product

        // r = b − A·x = Σ_i (pref_i·|c_i| − (|c_i| − 1)·y_i·x) y_i − (YᵀY + λI)·x
        BLAS.gemv(.none, rows: count, columns: f, alpha: 1, a: rows, lda: f, x: x, beta: 0, y: t)
        for entry in 0..<count {
            let signed = confidences[entry]
            let confidence = abs(signed)
            weights[entry] = confidence - 1
            t[entry] = (signed > 0 ? confidence : 0) - (confidence - 1) * t[entry]
        }
        BLAS.gemv(.none, rows: f, columns: f, alpha: -1, a: gram, lda: f, x: x, beta: 0, y: r)
        BLAS.gemv(.transpose, rows: count, columns: f, alpha: 1, a: rows, lda: f, x: t, beta: 1, y: r)

        p.update(from: r, count: f)
        var oldNorm = VectorKernels.dot(r, r, count: f)
        guard oldNorm >= 1e-20 else { return }
        for _ in 0..<steps {
            // A·p without forming A: (YᵀY + λI)·p + Gᵀ·((|c| − 1) ∘ (G·p))
            BLAS.gemv(.none, rows: count, columns: f, alpha: 1, a: rows, lda: f, x: p, beta: 0, y: t)
            for entry in 0..<count { t[entry] *= weights[entry] }
            BLAS.gemv(.none, rows: f, columns: f, alpha: 1, a: gram, lda: f, x: p, beta: 0, y: ap)
            BLAS.gemv(.transpose, rows: count, columns: f, alpha: 1, a: rows, lda: f, x: t, beta: 1, y: ap)

            let step = oldNorm / VectorKernels.dot(p, ap, count: f)
            VectorKernels.axpy(step, p, x, count: f)
            VectorKernels.axpy(-step, ap, r, count: f)
            let newNorm = VectorKernels.dot(r, r, count: f)
            if newNorm < 1e-20 { break }
            let ratio = newNorm / oldNorm
            for index in 0..<f { p[index] = r[index] + ratio * p[index] }
            oldNorm = newNorm
        }
    }

    /// Solves the row's system exactly (Cholesky in float64) into `x`; false when it is not positive definite.
    static func exact(
        x: UnsafeMutablePointer<Float>, count: Int, confidences: UnsafePointer<Float>, gram: UnsafePointer<Float>,
        workspace: ALSWorkspace
    ) -> Bool {
        let f = workspace.factors
        let rows = workspace.gathered, scaled = workspace.scaled, t = workspace.projections
        for entry in 0..<count {
            let signed = confidences[entry]
            let confidence = abs(signed)
            let source = rows + entry * f, destination = scaled + entry * f
            for index in 0..<f { destination[index] = (confidence - 1) * source[index] }
            t[entry] = signed > 0 ? confidence : 0
        }
        // outer = Gᵀ·(D·G); right side b = Gᵀ·t (in `residual`).
        BLAS.gemm(
            .transpose, .none, m: f, n: f, k: count, alpha: 1, a: rows, lda: f, b: scaled, ldb: f, beta: 0,
            c: workspace.outer, ldc: f)
        BLAS.gemv(.transpose, rows: count, columns: f, alpha: 1, a: rows, lda: f, x: t, beta: 0, y: workspace.residual)
        let system = workspace.system, rightSide = workspace.rightSide
        for index in 0..<(f * f) { system[index] = Double(gram[index]) + Double(workspace.outer[index]) }
        for index in 0..<f { rightSide[index] = Double(workspace.residual[index]) }
        guard CholeskySolver.solve(system, rightSide, size: f) else { return false }
        for index in 0..<f { x[index] = Float(rightSide[index]) }
        return true
    }
}
