/// A rating predicted by `MF`, with the parts of the model that went into it.
package struct RatingPrediction: Sendable, Equatable {
    /// A term of `r̂ = μ + b_u + b_i + p_u·q_i`.
    package enum Part: String, Sendable, CaseIterable {
        /// μ, the mean training rating: always used.
        case globalMean = "global_mean"
        /// b_u: the user was trained on or folded in from their ratings.
        case userBias = "user_bias"
        /// b_i: the item has training ratings.
        case itemBias = "item_bias"
        /// p_u·q_i: both the user and the item have factors (and the model has at least one).
        case factors
    }

    /// The prediction, clipped to the range of the training ratings.
    package var rating: Float
    /// The terms that were known and summed, in formula order.
    package var parts: [Part]

    /// A prediction from its parts.
    package init(rating: Float, parts: [Part]) {
        self.rating = rating
        self.parts = parts
    }
}
