import LinearAlgebra

extension MLP: RatingModel {
    /// True under the rating objective.
    package var predictsRatings: Bool { objective == .rating }

    /// The trained user vector `[b_u, p_u…]` (`factors + 1` values), nil for a user without training data.
    package func userVector(of user: Int32) -> [Float]? {
        guard knows(user: user) else { return nil }
        return [userBiases[Int(user)]] + userEmbeddings.withRow(Int(user)) { Array($0) }
    }

    /// The rating-objective prediction for a user vector `[b_u, p_u…]` (from ``userVector(of:)`` or
    /// ``foldIn(items:ratings:)``), with its parts: μ, plus b_u when the user is known, plus b_i when the item is,
    /// plus the network's output o(u, i) (the `factors` part) when both are; clipped to the training range.
    package func predict(user vector: [Float]?, item: Int32?) -> RatingPrediction {
        var rating = offset
        var parts: [RatingPrediction.Part] = [.globalMean]
        let user = vector.flatMap { $0.count == factors + 1 ? $0 : nil }
        if let user {
            rating += user[0]
            parts.append(.userBias)
        }
        if let item, knows(item: item) {
            rating += itemBiases[Int(item)]
            parts.append(.itemBias)
            if let user {
                rating += output(userEmbedding: user.dropFirst(), item: Int(item))
                parts.append(.factors)
            }
        }
        return RatingPrediction(rating: Swift.min(Swift.max(rating, ratingRange.lowerBound), ratingRange.upperBound),
                                parts: parts)
    }
}
