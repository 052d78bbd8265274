import LinearAlgebra

extension MFState {
    /// `alsIterations` sweeps, each solving every user's `[b_u, p_u]` against the fixed item side, then every
    /// item's `[b_i, q_i]` against the users: the exact ridge solution of
    /// `Σ_i (r_ui − μ − b_i − [1, q_i]·[b_u, p_u])² + λ(b_u² + ‖p_u‖²)` (`RidgeSolver`). Rows are independent, so
    /// they run in parallel and the result does not depend on the thread count.
    mutating func fitALS(
        _ ratings: CSRMatrix, parameters: MFParameters, cancellation: TrainingCancellation?, observer: EpochObserver?
    ) throws(ModelError) {
        BLAS.useSingleThread()
        let byItem = ratings.transposed()
        for sweep in 0..<parameters.alsIterations {
            try cancellation?.check(.mf)
            if let row = Self.solveRows(
                ratings, mean: globalMean, fixedBiases: itemBiases, fixedFactors: itemFactors, biases: &userBiases,
                factors: &userFactors, parameters: parameters)
            {
                throw .solverFailed(kind: .mf, row: row)
            }
            if let row = Self.solveRows(
                byItem, mean: globalMean, fixedBiases: userBiases, fixedFactors: userFactors, biases: &itemBiases,
                factors: &itemFactors, parameters: parameters)
            {
                throw .solverFailed(kind: .mf, row: row)
            }
            observer?(sweep + 1) { model(parameters: parameters) }
        }
    }

    /// Solves every row of `ratings` with entries; returns the first row whose system failed, or nil.
    private static func solveRows(
        _ ratings: CSRMatrix, mean: Float, fixedBiases: [Float], fixedFactors: DenseMatrix, biases: inout [Float],
        factors: inout DenseMatrix, parameters: MFParameters
    ) -> Int? {
        let f = fixedFactors.columnCount, width = f + 1, chunkSize = 16
        var longest = 0
        for row in 0..<ratings.rowCount { longest = max(longest, ratings.nonzeroCount(ofRow: row)) }
        let workers = parallelWorkerCount(
            forChunks: (ratings.rowCount + chunkSize - 1) / chunkSize, maxWorkers: parameters.threads)
        let solvers = (0..<workers).map { _ in RidgeSolver(width: width, capacity: longest) }
        let solutions = (0..<workers).map { _ in UnsafeMutablePointer<Float>.allocate(capacity: width) }
        defer { for solution in solutions { solution.deallocate() } }
        let failures = (0..<workers).map { _ in UnsafeMutablePointer<Int>.allocate(capacity: 1) }
        defer { for failure in failures { failure.deallocate() } }
        for failure in failures { failure.pointee = Int.max }
        let offsets = ratings.rowOffsets
        fixedFactors.withUnsafeBufferPointer { fixed in
            factors.withUnsafeMutableBufferPointer { target in
                biases.withUnsafeMutableBufferPointer { targetBiases in
                    ratings.columns.withUnsafeBufferPointer { columns in
                        ratings.values.withUnsafeBufferPointer { values in
                            parallelFor(count: ratings.rowCount, chunkSize: chunkSize, maxWorkers: workers) { range, worker in
                                let solver = solvers[worker], x = solutions[worker]
                                for row in range {
                                    let start = offsets[row], count = offsets[row + 1] - start
                                    guard count > 0 else { continue }
                                    for entry in 0..<count {
                                        let other = Int(columns[start + entry])
                                        let gathered = solver.rows + entry * width
                                        gathered[0] = 1
                                        if f > 0 { (gathered + 1).update(from: fixed.baseAddress! + other * f, count: f) }
                                        solver.targets[entry] = values[start + entry] - mean - fixedBiases[other]
                                    }
                                    guard solver.solve(count: count, regularization: parameters.alsRegularization, into: x) else {
                                        failures[worker].pointee = min(failures[worker].pointee, row)
                                        continue
                                    }
                                    targetBiases[row] = x[0]
                                    if f > 0 { (target.baseAddress! + row * f).update(from: x + 1, count: f) }
                                }
                            }
                        }
                    }
                }
            }
        }
        let first = failures.map(\.pointee).min() ?? Int.max
        return first == Int.max ? nil : first
    }
}
