import LinearAlgebra

/// Truncated singular value decomposition of the user × item matrix, X ≈ U·Σ·Vᵀ (PureSVD), as recpack's
/// example builds it: user factors U, item factors Σ·Vᵀ (stored as the rows of V·Σ).
///
/// score(u, i) = U_u · (V·Σ)_i, the rank-k reconstruction of X. Users the model never saw (and known users
/// with fresh events) are folded in by projecting their history row: u = x·V·Σ⁻¹.
package struct SVD: InnerProductScoring, CosineItemSimilarity {
    /// Always `.svd`.
    package var kind: ModelKind { .svd }
    /// users × factors: U.
    package let userFactors: DenseMatrix
    /// items × factors: V·Σ.
    package let itemFactors: DenseMatrix
    /// Σ, descending.
    package let singularValues: [Float]
    /// L2 norm of every item factor, for `similarItems`.
    package let similarityNorms: [Float]

    /// Users in the training data.
    package var userCount: Int { userFactors.rowCount }
    /// Items in the training data.
    package var itemCount: Int { itemFactors.rowCount }
    /// Latent dimension.
    package var factors: Int { itemFactors.columnCount }

    /// A model over a decomposition: `singularValues` has one value per factor column.
    package init(userFactors: DenseMatrix, itemFactors: DenseMatrix, singularValues: [Float]) {
        precondition(userFactors.columnCount == itemFactors.columnCount, "user and item factors must match")
        precondition(singularValues.count == itemFactors.columnCount, "one singular value per factor")
        self.userFactors = userFactors
        self.itemFactors = itemFactors
        self.singularValues = singularValues
        BLAS.useSingleThread()
        similarityNorms = FactorScoring.rowNorms(itemFactors, dimensions: itemFactors.columnCount)
    }

    /// Similar items: by cosine of their factors (rows of V·Σ).
    package var similarityVectors: DenseMatrix { itemFactors }
    package var similarityDimensions: Int { factors }

    /// SVD projects a history onto the item factors.
    package var foldsInUsers: Bool { true }

    /// The projection of a history row (items with weights): `u_c = Σ_j w_j·V[j, c] / σ_c`, which is
    /// `Σ_j w_j·(V·Σ)[j, c] / σ_c²`. Nil when no history item is known to the model.
    package func foldIn(history: [Int32], weights: [Float]) -> [Float]? {
        precondition(history.count == weights.count, "history and weights must have the same count")
        var vector = [Float](repeating: 0, count: factors)
        let projected = vector.withUnsafeMutableBufferPointer { project(history: history, weights: weights, into: $0) }
        return projected ? vector : nil
    }

    /// The factor used to score `query`: the caller's, the trained one, or a projection of the history.
    package func userVector(for query: UserQuery, into vector: UnsafeMutableBufferPointer<Float>) -> Bool {
        FactorScoring.userVector(for: query, userFactors: userFactors, into: vector) { vector in
            project(history: query.history, weights: query.weights, into: vector)
        }
    }

    private func project(history: [Int32], weights: [Float], into vector: UnsafeMutableBufferPointer<Float>) -> Bool {
        vector.update(repeating: 0)
        var known = false
        itemFactors.withUnsafeBufferPointer { items in
            for (item, weight) in zip(history, weights) where item >= 0 && Int(item) < itemCount {
                known = true
                VectorKernels.axpy(weight, items.baseAddress! + Int(item) * factors, vector.baseAddress!, count: factors)
            }
        }
        for component in 0..<factors {
            let value = singularValues[component]
            vector[component] = value > 0 ? vector[component] / (value * value) : 0
        }
        return known
    }
}
