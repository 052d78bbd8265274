import LinearAlgebra

/// Explicit-rating matrix factorisation with global, user and item biases (Funk; Koren, Bell & Volinsky 2009):
/// `r̂(u, i) = μ + b_u + b_i + p_u·q_i`, fitted to the latest rating of each (user, item) pair by SGD or ALS.
///
/// Recommendations rank the items with training ratings by predicted rating (items nobody rated get
/// `-Float.infinity`). A user the model never trained on is scored from a vector folded in from their ratings
/// (``foldIn(items:ratings:)``: a ridge solve against the fixed item biases and factors) passed in
/// `UserQuery.factors`; without one the model does not answer. Similar items are the cosine of the q_i.
package struct MF: Recommender, CosineItemSimilarity {
    /// Always `.mf`.
    package var kind: ModelKind { .mf }
    /// μ, the mean of the training ratings.
    package let globalMean: Float
    /// b_u by user (0 for users without training ratings).
    package let userBiases: [Float]
    /// b_i by item (0 for items without training ratings).
    package let itemBiases: [Float]
    /// users × factors: p_u (zero rows for users without training ratings).
    package let userFactors: DenseMatrix
    /// items × factors: q_i (zero rows for items without training ratings).
    package let itemFactors: DenseMatrix
    /// Training ratings per user; 0 means the model knows nothing of the user.
    package let userRatingCounts: [Int32]
    /// Training ratings per item; 0 means the model knows nothing of the item.
    package let itemRatingCounts: [Int32]
    /// Smallest and largest training rating: predictions are clipped to them (as Surprise does).
    package let ratingRange: ClosedRange<Float>
    /// `λ` of the ridge solve that folds a user in from their ratings.
    package let foldInRegularization: Float
    /// The event types whose values the model was fitted to; a user is folded in from events of these types.
    package let explicitTypes: [String]
    /// L2 norm of every item factor, for `similarItems`.
    package let similarityNorms: [Float]

    /// Users in the training data.
    package var userCount: Int { userBiases.count }
    /// Items in the training data.
    package var itemCount: Int { itemBiases.count }
    /// Latent dimension (0: biases only).
    package var factors: Int { itemFactors.columnCount }
    /// Items with training ratings: the ones recommendations can hold.
    package var rankedItemCount: Int { itemRatingCounts.count { $0 > 0 } }

    /// A model over fitted parameters; counts and biases have one entry per row of the matching factors.
    package init(
        globalMean: Float, userBiases: [Float], itemBiases: [Float], userFactors: DenseMatrix, itemFactors: DenseMatrix,
        userRatingCounts: [Int32], itemRatingCounts: [Int32], ratingRange: ClosedRange<Float>,
        foldInRegularization: Float, explicitTypes: [String]
    ) {
        precondition(userFactors.columnCount == itemFactors.columnCount, "user and item factors must match")
        precondition(userBiases.count == userFactors.rowCount && userRatingCounts.count == userBiases.count)
        precondition(itemBiases.count == itemFactors.rowCount && itemRatingCounts.count == itemBiases.count)
        self.globalMean = globalMean
        self.userBiases = userBiases
        self.itemBiases = itemBiases
        self.userFactors = userFactors
        self.itemFactors = itemFactors
        self.userRatingCounts = userRatingCounts
        self.itemRatingCounts = itemRatingCounts
        self.ratingRange = ratingRange
        self.foldInRegularization = foldInRegularization
        self.explicitTypes = explicitTypes
        BLAS.useSingleThread()
        similarityNorms = FactorScoring.rowNorms(itemFactors, dimensions: itemFactors.columnCount)
    }

    /// True when `user` had training ratings.
    package func knows(user: Int32) -> Bool {
        user >= 0 && Int(user) < userCount && userRatingCounts[Int(user)] > 0
    }

    /// True when `item` had training ratings.
    package func knows(item: Int32) -> Bool {
        item >= 0 && Int(item) < itemCount && itemRatingCounts[Int(item)] > 0
    }

    /// The trained user vector `[b_u, p_u…]` (`factors + 1` values), nil for a user without training ratings.
    package func userVector(of user: Int32) -> [Float]? {
        trainedVector(of: user, biases: userBiases, embeddings: userFactors)
    }

    /// The rating `user` (a vector `[b_u, p_u…]` from ``userVector(of:)`` or ``foldIn(items:ratings:)``; nil when
    /// unknown) would give `item` (nil or an item without training ratings: unknown), from the parts that are known.
    package func predict(user vector: [Float]?, item: Int32?) -> RatingPrediction {
        biasedPrediction(mean: globalMean, user: vector, factors: factors, item: item, itemBiases: itemBiases,
                         range: ratingRange) { user, item in
            guard factors > 0 else { return nil }
            return user.withUnsafeBufferPointer { user in
                itemFactors.withRow(item) { VectorKernels.dot(user.baseAddress!, $0.baseAddress!, count: factors) }
            }
        }
    }

    /// The predicted rating of every rated item for a trained user or a folded-in vector (`query.factors`);
    /// false otherwise. Scores are not clipped, so the ranking keeps its order at the top of the scale.
    package func score(_ query: UserQuery, into scores: UnsafeMutableBufferPointer<Float>) -> Bool {
        precondition(scores.count == itemCount, "score buffer must hold itemCount values")
        let vector: [Float]? =
            if let given = query.factors, given.count == factors + 1 { given } else { query.user.flatMap(userVector(of:)) }
        guard let vector else {
            scores.update(repeating: -.infinity)
            return false
        }
        if factors > 0 {
            vector.withUnsafeBufferPointer { FactorScoring.score(vector: $0.baseAddress! + 1, items: itemFactors, into: scores) }
        } else {
            scores.update(repeating: 0)
        }
        let base = globalMean + vector[0]
        for item in 0..<itemCount {
            scores[item] = itemRatingCounts[item] > 0 ? scores[item] + base + itemBiases[item] : -.infinity
        }
        return true
    }

    /// Similar items: by cosine of their factors q_i.
    package var similarityVectors: DenseMatrix { itemFactors }
    package var similarityDimensions: Int { factors }
}
