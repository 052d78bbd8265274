import LinearAlgebra

/// Bayesian personalised ranking matrix factorisation (Rendle et al. 2009) with implicit's sampling.
///
/// Factor rows carry one extra column: users hold a constant 1 there and items their bias, so
/// score(u, i) = x_u · y_i over `factors + 1` columns includes the item bias. A user the model never saw is
/// folded in by the mean of their history items' factors (bias column 1); BPR has no least-squares solve, and the
/// mean is the user vector that scores highest, on average, the items the user chose. `score` returns false for
/// a user with neither a trained row nor a known history item.
package struct BPR: InnerProductScoring, CosineItemSimilarity {
    /// Always `.bpr`.
    package var kind: ModelKind { .bpr }
    /// users × (factors + 1); the last column is 1.
    package let userFactors: DenseMatrix
    /// items × (factors + 1); the last column is the item bias.
    package let itemFactors: DenseMatrix
    /// L2 norm of every item's first `factors` columns (bias excluded), for `similarItems`.
    package let similarityNorms: [Float]

    /// Users in the training data.
    package var userCount: Int { userFactors.rowCount }
    /// Items in the training data.
    package var itemCount: Int { itemFactors.rowCount }
    /// Latent dimension, not counting the bias column.
    package var factors: Int { itemFactors.columnCount - 1 }

    /// A model over trained factors (both with `factors + 1` columns).
    package init(userFactors: DenseMatrix, itemFactors: DenseMatrix) {
        precondition(userFactors.columnCount == itemFactors.columnCount, "user and item factors must match")
        precondition(itemFactors.columnCount >= 2, "factors plus the bias column")
        self.userFactors = userFactors
        self.itemFactors = itemFactors
        BLAS.useSingleThread()
        similarityNorms = FactorScoring.rowNorms(itemFactors, dimensions: itemFactors.columnCount - 1)
    }

    /// The vector that scores `query`: the trained row of a known user, else the mean of the factors of the
    /// history's known items with 1 in the bias column; false when there is neither.
    package func userVector(for query: UserQuery, into vector: UnsafeMutableBufferPointer<Float>) -> Bool {
        if let user = query.user, user >= 0, Int(user) < userCount {
            userFactors.withRow(Int(user)) { _ = vector.update(fromContentsOf: $0) }
            return true
        }
        let known = query.history.filter { $0 >= 0 && Int($0) < itemCount }
        guard !known.isEmpty else { return false }
        let width = itemFactors.columnCount
        vector.update(repeating: 0)
        itemFactors.withUnsafeBufferPointer { items in
            for item in known {
                VectorKernels.axpy(1, items.baseAddress! + Int(item) * width, vector.baseAddress!, count: width - 1)
            }
        }
        let scale = 1 / Float(known.count)
        for column in 0..<width - 1 { vector[column] *= scale }
        vector[width - 1] = 1
        return true
    }

    /// Similar items: by cosine of their factors (bias excluded).
    package var similarityVectors: DenseMatrix { itemFactors }
    package var similarityDimensions: Int { factors }
}
