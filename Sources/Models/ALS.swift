import LinearAlgebra

/// Implicit-feedback matrix factorisation by alternating least squares (Hu, Koren & Volinsky 2008), with
/// implicit's conjugate-gradient solver.
///
/// score(u, i) = x_u · y_i. Users the model never saw (or saw without interactions) are folded in: their
/// factor is solved exactly from their history against the fixed item factors.
package struct ALS: InnerProductScoring, CosineItemSimilarity {
    /// Always `.als`.
    package var kind: ModelKind { .als }
    /// users × factors.
    package let userFactors: DenseMatrix
    /// items × factors.
    package let itemFactors: DenseMatrix
    /// `λ` used in training and fold-in.
    package let regularization: Float
    /// `α` used in training and fold-in.
    package let alpha: Float
    /// Confidence convention used in training and fold-in.
    package let confidence: ALSParameters.Confidence
    /// `YᵀY + λI`, for fold-in.
    let itemGram: DenseMatrix
    /// L2 norm of every item factor, for `similarItems`.
    package let similarityNorms: [Float]

    /// Users in the training data.
    package var userCount: Int { userFactors.rowCount }
    /// Items in the training data.
    package var itemCount: Int { itemFactors.rowCount }
    /// Latent dimension.
    package var factors: Int { itemFactors.columnCount }

    /// A model over trained factors (both with the same number of columns).
    package init(
        userFactors: DenseMatrix, itemFactors: DenseMatrix, regularization: Float, alpha: Float,
        confidence: ALSParameters.Confidence
    ) {
        precondition(userFactors.columnCount == itemFactors.columnCount, "user and item factors must match")
        self.userFactors = userFactors
        self.itemFactors = itemFactors
        self.regularization = regularization
        self.alpha = alpha
        self.confidence = confidence
        BLAS.useSingleThread()
        itemGram = BLAS.gram(itemFactors, regularization: regularization)
        similarityNorms = FactorScoring.rowNorms(itemFactors, dimensions: itemFactors.columnCount)
    }

    /// Similar items: by cosine of their factors.
    package var similarityVectors: DenseMatrix { itemFactors }
    package var similarityDimensions: Int { factors }

    /// ALS solves a user's factor from their history.
    package var foldsInUsers: Bool { true }

    /// Solves a user factor from a history (items with weights) against the fixed item factors, exactly
    /// (Cholesky), with the model's confidence convention. Nil when no history item is known to the model
    /// or the system is singular.
    package func foldIn(history: [Int32], weights: [Float]) -> [Float]? {
        precondition(history.count == weights.count, "history and weights must have the same count")
        var vector = [Float](repeating: 0, count: factors)
        let solved = vector.withUnsafeMutableBufferPointer { foldIn(history: history, weights: weights, into: $0) }
        return solved ? vector : nil
    }

    /// The factor used to score `query`: the trained one, or a fold-in.
    package func userVector(for query: UserQuery, into vector: UnsafeMutableBufferPointer<Float>) -> Bool {
        FactorScoring.userVector(for: query, userFactors: userFactors, into: vector) { vector in
            foldIn(history: query.history, weights: query.weights, into: vector)
        }
    }

    private func foldIn(history: [Int32], weights: [Float], into vector: UnsafeMutableBufferPointer<Float>) -> Bool {
        var confidences = [Float]()
        var items = [Int32]()
        for (item, weight) in zip(history, weights) where item >= 0 && Int(item) < itemCount {
            items.append(item)
            confidences.append(confidence.signedConfidence(weight: weight, alpha: alpha))
        }
        guard !items.isEmpty else { return false }
        let workspace = ALSWorkspace(factors: factors, capacity: items.count, exact: true)
        itemFactors.withUnsafeBufferPointer { source in
            for (entry, item) in items.enumerated() {
                (workspace.gathered + entry * factors).update(
                    from: source.baseAddress! + Int(item) * factors, count: factors)
            }
        }
        return itemGram.withUnsafeBufferPointer { gram in
            confidences.withUnsafeBufferPointer { signed in
                ALSSolver.exact(
                    x: vector.baseAddress!, count: items.count, confidences: signed.baseAddress!,
                    gram: gram.baseAddress!, workspace: workspace)
            }
        }
    }
}

extension ALSParameters.Confidence {
    /// The signed confidence of a pair with weight `weight`: its magnitude is the confidence, its sign the
    /// preference (positive → 1, otherwise 0), as implicit encodes them.
    func signedConfidence(weight: Float, alpha: Float) -> Float {
        switch self {
        case .scaled:
            return alpha * weight
        case .onePlusScaled:
            return weight >= 0 ? 1 + alpha * weight : -(1 + alpha * -weight)
        }
    }
}
