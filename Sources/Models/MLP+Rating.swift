import LinearAlgebra

extension MLP: RatingModel {
    /// True under the rating objective.
    package var predictsRatings: Bool { objective == .rating }

    /// The trained user vector `[b_u, p_u…]` (`factors + 1` values), nil for a user without training data.
    package func userVector(of user: Int32) -> [Float]? {
        trainedVector(of: user, biases: userBiases, embeddings: userEmbeddings)
    }

    /// The rating-objective prediction for a user vector `[b_u, p_u…]` (from ``userVector(of:)`` or
    /// ``foldIn(items:ratings:)``), with its parts: μ, plus b_u when the user is known, plus b_i when the item is,
    /// plus the network's output o(u, i) (the `factors` part) when both are; clipped to the training range.
    package func predict(user vector: [Float]?, item: Int32?) -> RatingPrediction {
        biasedPrediction(mean: offset, user: vector, factors: factors, item: item, itemBiases: itemBiases,
                         range: ratingRange) { user, item in
            output(userEmbedding: user, item: item)
        }
    }
}
