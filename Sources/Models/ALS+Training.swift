import LinearAlgebra

extension ALS {
    /// Trains on `data`: factors start uniform in [0, 0.01) from `seed` (users, then items), then each of
    /// `iterations` sweeps solves all users, then all items. Deterministic for a seed whatever `threads` is
    /// (every row's solve is independent). `cancellation` is checked before each sweep; `observer`, when given,
    /// sees the model after each sweep.
    package static func fit(
        _ data: TrainingData, parameters: ALSParameters = .init(), seed: UInt64, cancellation: TrainingCancellation? = nil,
        observer: EpochObserver? = nil
    ) throws(ModelError) -> ALS {
        try parameters.validate()
        let matrix = data.interactions
        guard matrix.nonzeroCount > 0, matrix.rowCount > 0, matrix.columnCount > 0 else {
            throw .emptyTrainingData(kind: .als)
        }
        BLAS.useSingleThread()
        let userItems = confidences(matrix, parameters: parameters)
        let itemUsers = userItems.transposed()
        var generator = Xoshiro256StarStar(seed: seed)
        var users = randomFactors(rows: matrix.rowCount, factors: parameters.factors, generator: &generator)
        var items = randomFactors(rows: matrix.columnCount, factors: parameters.factors, generator: &generator)
        for iteration in 0..<parameters.iterations {
            try cancellation?.check(.als)
            if let row = ALSSolver.solveRows(
                confidences: userItems, fixed: items, target: &users, regularization: parameters.regularization,
                solver: parameters.solver, cgSteps: parameters.cgSteps, threads: parameters.threads)
            {
                throw .solverFailed(kind: .als, row: row)
            }
            if let row = ALSSolver.solveRows(
                confidences: itemUsers, fixed: users, target: &items, regularization: parameters.regularization,
                solver: parameters.solver, cgSteps: parameters.cgSteps, threads: parameters.threads)
            {
                throw .solverFailed(kind: .als, row: row)
            }
            observer?(iteration + 1) {
                ALS(
                    userFactors: users, itemFactors: items, regularization: parameters.regularization,
                    alpha: parameters.alpha, confidence: parameters.confidence)
            }
        }
        guard users.isFinite, items.isFinite else { throw .nonFiniteFactors(kind: .als) }
        return ALS(
            userFactors: users, itemFactors: items, regularization: parameters.regularization,
            alpha: parameters.alpha, confidence: parameters.confidence)
    }

    /// implicit's training loss on `data`: `Σ_{observed} |c|·(pref − x·y)² + Σ_{unobserved} (x·y)²
    /// + λ(‖X‖² + ‖Y‖²)`, divided by `Σ|c| + users·items − pairs`. Computed in float64.
    package func loss(on data: TrainingData) -> Double {
        let matrix = data.interactions
        precondition(matrix.rowCount == userCount && matrix.columnCount == itemCount, "data must match the model")
        let gram = BLAS.gram(itemFactors)
        let f = factors
        var loss = 0.0, totalConfidence = 0.0, userNorms = 0.0, itemNorms = 0.0
        var projected = [Float](repeating: 0, count: f)
        userFactors.withUnsafeBufferPointer { users in
            itemFactors.withUnsafeBufferPointer { items in
                gram.withUnsafeBufferPointer { gramBuffer in
                    projected.withUnsafeMutableBufferPointer { r in
                        for user in 0..<userCount {
                            let x = users.baseAddress! + user * f
                            // r = YᵀY·x, then the observed corrections; loss += r·x gives Σ_all (x·y)² plus them.
                            BLAS.gemv(
                                .none, rows: f, columns: f, alpha: 1, a: gramBuffer.baseAddress!, lda: f, x: x,
                                beta: 0, y: r.baseAddress!)
                            for entry in matrix.entryRange(ofRow: user) {
                                let signed = confidence.signedConfidence(weight: matrix.values[entry], alpha: alpha)
                                let magnitude = abs(signed)
                                let y = items.baseAddress! + Int(matrix.columns[entry]) * f
                                let dot = VectorKernels.dot(y, x, count: f)
                                let coefficient = (signed > 0 ? -2 * magnitude : 0) + (magnitude - 1) * dot
                                VectorKernels.axpy(coefficient, y, r.baseAddress!, count: f)
                                totalConfidence += Double(magnitude)
                                loss += signed > 0 ? Double(magnitude) : 0
                            }
                            loss += Double(VectorKernels.dot(r.baseAddress!, x, count: f))
                            userNorms += Double(VectorKernels.squaredNorm(x, count: f))
                        }
                        for item in 0..<itemCount {
                            itemNorms += Double(VectorKernels.squaredNorm(items.baseAddress! + item * f, count: f))
                        }
                    }
                }
            }
        }
        loss += Double(regularization) * (userNorms + itemNorms)
        let unobserved = Double(userCount) * Double(itemCount) - Double(matrix.nonzeroCount)
        return loss / (totalConfidence + unobserved)
    }

    /// The interaction matrix with every value turned into a signed confidence.
    static func confidences(_ matrix: CSRMatrix, parameters: ALSParameters) -> CSRMatrix {
        matrix.replacingValues(
            matrix.values.map { parameters.confidence.signedConfidence(weight: $0, alpha: parameters.alpha) })
    }

    /// rows × factors uniform in [0, 0.01), row-major, drawn in storage order.
    static func randomFactors(rows: Int, factors: Int, generator: inout Xoshiro256StarStar) -> DenseMatrix {
        var matrix = DenseMatrix(rowCount: rows, columnCount: factors)
        for index in matrix.storage.indices { matrix.storage[index] = generator.nextUnitFloat() * 0.01 }
        return matrix
    }
}
