import LinearAlgebra

/// A model that predicts explicit ratings and folds a user it was not trained on in from their ratings: `mf`, and
/// `mlp` under the rating objective. A user is a vector `[b_u, …]` whose first value is their bias; its other
/// values mean what the model makes of them.
package protocol RatingModel: Recommender {
    /// False for a model of a kind that can predict ratings but was trained for ranking (a ranking-objective `mlp`).
    var predictsRatings: Bool { get }
    /// The event types whose values the model was fitted to; a user is folded in from their latest events of these.
    var explicitTypes: [String] { get }
    /// True when `user` had training ratings.
    func knows(user: Int32) -> Bool
    /// True when `item` had training ratings.
    func knows(item: Int32) -> Bool
    /// The trained user's vector, nil for a user without training ratings.
    func userVector(of user: Int32) -> [Float]?
    /// The vector of a user from their ratings (`items` with `ratings`, same count); nil when no rated item is known.
    func foldIn(items: [Int32], ratings: [Float]) -> [Float]?
    /// The rating `user` (a vector from ``userVector(of:)`` or ``foldIn(items:ratings:)``; nil when unknown) would
    /// give `item` (nil or an item without training ratings: unknown), from the parts that are known, clipped to the
    /// training range.
    func predict(user vector: [Float]?, item: Int32?) -> RatingPrediction
}

extension RatingModel {
    /// The prediction of a biased rating model from a user vector `[b_u, p_u…]` (`factors + 1` values, else the user
    /// is unknown): `mean`, plus b_u when the user is known, plus `itemBiases[i]` when the item is, plus
    /// `interaction(p_u, i)` when both are and it gives one; clipped to `range`. `parts` names what was summed.
    func biasedPrediction(
        mean: Float, user vector: [Float]?, factors: Int, item: Int32?, itemBiases: [Float], range: ClosedRange<Float>,
        interaction: (ArraySlice<Float>, Int) -> Float?
    ) -> RatingPrediction {
        var rating = mean
        var parts: [RatingPrediction.Part] = [.globalMean]
        let user = vector.flatMap { $0.count == factors + 1 ? $0 : nil }
        if let user {
            rating += user[0]
            parts.append(.userBias)
        }
        if let item, knows(item: item) {
            rating += itemBiases[Int(item)]
            parts.append(.itemBias)
            if let user, let value = interaction(user.dropFirst(), Int(item)) {
                rating += value
                parts.append(.factors)
            }
        }
        return RatingPrediction(rating: Swift.min(Swift.max(rating, range.lowerBound), range.upperBound), parts: parts)
    }

    /// `[b_u] + row` of a trained user (nil for one without training ratings): the vector ``predict(user:item:)`` reads.
    func trainedVector(of user: Int32, biases: [Float], embeddings: DenseMatrix) -> [Float]? {
        guard knows(user: user) else { return nil }
        return [biases[Int(user)]] + embeddings.withRow(Int(user)) { Array($0) }
    }
}

extension MF: RatingModel {
    /// Always true.
    package var predictsRatings: Bool { true }
}
