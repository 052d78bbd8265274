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

    /// The rating `user` would give `item` by the `mf` model (`model`, when given, must be `mf`). An unknown user or
    /// item still gets an answer, from the parts that are known (μ at least); a deleted item is unknown (404).
    package func predictRating(user: String, item: String, model requested: ModelKind?) throws(Failure) -> RatingAnswer {
        if let requested, requested != .mf { throw .notARatingModel(requested.rawValue) }
        guard let set = registry.snapshot else { throw .noModels }
        guard let mf = set.model(.mf)?.model as? MF else { throw .unknownModel(ModelKind.mf.rawValue) }
        let itemIndex = store.itemIndex(item)
        if let itemIndex, catalogue.isDeleted(item: itemIndex) { throw .unknownItem(item) }
        var basis = RatingAnswer.UserBasis.unknown
        var vector: [Float]?
        if let userIndex = store.userIndex(user) {
            let revision = store.historyRevision(ofUser: userIndex)
            if mf.knows(user: userIndex) && !set.hasNewEvents(user: userIndex, revision: revision) {
                vector = mf.userVector(of: userIndex)
                basis = .trained
            } else if let folded = ratingVector(mf, user: userIndex, revision: revision, version: set.version) {
                vector = folded
                basis = .foldedIn
            }
        }
        return RatingAnswer(
            model: .mf, version: set.version, prediction: mf.predict(user: vector, item: itemIndex), user: basis)
    }

    /// `mf`'s vector for `user` folded in from their latest ratings (cached per history revision); nil when none
    /// of their rated items is known to the model, or the store cannot be read.
    func ratingVector(_ mf: MF, user: Int32, revision: Int, version: String) -> [Float]? {
        ratingFoldIns.factors(user: user, revision: revision, version: version) {
            guard let ratings = try? store.latestRatings(types: mf.explicitTypes, user: user) else { return nil }
            return mf.foldIn(items: ratings.items, ratings: ratings.values)
        }
    }
}
