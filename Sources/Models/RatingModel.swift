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
    /// The trained user's vector, nil for a user without training ratings.
    func userVector(of user: Int32) -> [Float]?
    /// The vector of a user from their ratings (`items` with `ratings`, same count); nil when no rated item is known.
    func foldIn(items: [Int32], ratings: [Float]) -> [Float]?
    /// The rating `user` (a vector from ``userVector(of:)`` or ``foldIn(items:ratings:)``; nil when unknown) would
    /// give `item` (nil or an item without training ratings: unknown), from the parts that are known, clipped to the
    /// training range.
    func predict(user vector: [Float]?, item: Int32?) -> RatingPrediction
}

extension MF: RatingModel {
    /// Always true.
    package var predictsRatings: Bool { true }
}
