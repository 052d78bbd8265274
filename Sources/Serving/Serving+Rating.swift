import Catalogue
import EventStore
import Models

extension Serving {
    /// A predicted rating with the model set that produced it and how the user was known.
    package struct RatingAnswer: Sendable {
        /// How the model knew the user.
        package enum UserBasis: String, Sendable {
            /// The user was trained on and has no newer events: their trained bias and factors.
            case trained
            /// Folded in from the user's latest ratings (new to the model, or rated since the pass).
            case foldedIn = "folded_in"
            /// No ratings of the user's are known to the model: their part is left out.
            case unknown
        }

        package let model: ModelKind
        package let version: String
        package let prediction: RatingPrediction
        package let user: UserBasis
    }

    /// The rating `user` would give `item` by `model`: `mf` (the default), or `mlp` when it was trained with the
    /// rating objective (a ranking `mlp`, like every other model, has no ratings). An unknown user or item still
    /// gets an answer, from the parts that are known (μ at least); a deleted item is unknown (404).
    package func predictRating(user: String, item: String, model requested: ModelKind?) throws(Failure) -> RatingAnswer {
        let kind = requested ?? .mf
        guard kind == .mf || kind == .mlp else { throw .notARatingModel(kind.rawValue) }
        guard let set = registry.snapshot else { throw .noModels }
        guard let trained = set.model(kind)?.model else { throw .unknownModel(kind.rawValue) }
        guard let model = trained as? any RatingModel, model.predictsRatings else { throw .notARatingModel(kind.rawValue) }
        let itemIndex = store.itemIndex(item)
        if let itemIndex, catalogue.isDeleted(item: itemIndex) { throw .unknownItem(item) }
        var basis = RatingAnswer.UserBasis.unknown
        var vector: [Float]?
        if let userIndex = store.userIndex(user) {
            let revision = store.historyRevision(ofUser: userIndex)
            if model.knows(user: userIndex) && !set.hasNewEvents(user: userIndex, revision: revision) {
                vector = model.userVector(of: userIndex)
                basis = .trained
            } else if let folded = ratingVector(model, user: userIndex, revision: revision, version: set.version) {
                vector = folded
                basis = .foldedIn
            }
        }
        return RatingAnswer(
            model: kind, version: set.version, prediction: model.predict(user: vector, item: itemIndex), user: basis)
    }

    /// `model`'s vector for `user` folded in from their latest ratings (cached per history revision, apart for each
    /// model: their vectors differ); nil when none of their rated items is known to the model, or the store cannot
    /// be read.
    func ratingVector(_ model: any RatingModel, user: Int32, revision: Int, version: String) -> [Float]? {
        let cache = model.kind == .mlp ? mlpRatingFoldIns : ratingFoldIns
        return cache.factors(user: user, revision: revision, version: version) {
            guard let ratings = try? store.latestRatings(types: model.explicitTypes, user: user) else { return nil }
            return model.foldIn(items: ratings.items, ratings: ratings.values)
        }
    }
}
