import NearestNeighbors
import Locking
import Models

/// One trained model and the facts `GET /models` reports about it.
package struct TrainedModel: Sendable {
    package let model: any Recommender
    package let trainingSeconds: Double
    package let users: Int
    package let items: Int
    package let events: Int
    /// How the model did on the pass's held-out events, when the pass evaluated it (`serving.model = auto`).
    package var evaluation: HeldOutMetrics?
    /// An HNSW index over the model's item factors (`serving.index`): recommendations search it instead of
    /// scoring every item.
    package var index: HNSWIndex?
    /// A cosine HNSW index over the model's similarity vectors (`CosineItemSimilarity`), built when `index` is:
    /// similar items search it instead of scoring every item.
    package var similarityIndex: HNSWIndex?

    package var kind: ModelKind { model.kind }

    package init(
        model: any Recommender, trainingSeconds: Double, users: Int, items: Int, events: Int, evaluation: HeldOutMetrics? = nil,
        index: HNSWIndex? = nil, similarityIndex: HNSWIndex? = nil
    ) {
        self.model = model
        self.trainingSeconds = trainingSeconds
        self.users = users
        self.items = items
        self.events = events
        self.evaluation = evaluation
        self.index = index
        self.similarityIndex = similarityIndex
    }
}

/// A model's figures on the events a pass held out: each sampled user's latest event, ranked against the rest
/// of the catalogue by the model fitted without it.
package struct HeldOutMetrics: Sendable, Codable, Equatable {
    /// The cut-off of the lists.
    package let k: Int
    /// Mean NDCG@k over the sampled users.
    package let ndcg: Double
    /// Mean recall@k (the share of users whose held-out item is in their list).
    package let recall: Double
    /// Share of the catalogue that appears in some list.
    package let coverage: Double
    /// Users sampled.
    package let users: Int

    package init(k: Int, ndcg: Double, recall: Double, coverage: Double, users: Int) {
        self.k = k
        self.ndcg = ndcg
        self.recall = recall
        self.coverage = coverage
        self.users = users
    }
}

/// An immutable set of models from one training pass, published as a whole.
///
/// Readers take a reference to the current set and use it without locks; a new pass builds a new set
/// and swaps it in, so a request never sees models from two passes.
package final class ModelSet: Sendable {
    /// Identifies the pass, e.g. `3-1764007200`; also the `version` and `ETag` of answers.
    package let version: String
    /// Sequence number of the pass that built this set.
    package let pass: Int
    /// When the pass finished, unix seconds.
    package let trainedAt: Double
    /// The models, in configured order of preference.
    package let models: [TrainedModel]
    /// The model that answers requests naming none, chosen by the pass on held-out events
    /// (`serving.model = auto`); nil to follow the configured order.
    package let defaultModel: ModelKind?
    /// Each user's history revision the models were trained on, by user index; empty when unknown (a set
    /// loaded from disk). A user whose revision moved on since has events the models have not seen.
    let trainedRevisions: [Int]

    package init(pass: Int, trainedAt: Double, models: [TrainedModel], defaultModel: ModelKind? = nil, trainedRevisions: [Int] = []) {
        self.pass = pass
        self.trainedAt = trainedAt
        self.models = models
        self.defaultModel = defaultModel
        self.trainedRevisions = trainedRevisions
        version = "\(pass)-\(Int(trainedAt))"
    }

    /// True when `user` has events the models were not trained on (false when that is unknown).
    func hasNewEvents(user: Int32, revision: Int) -> Bool {
        guard !trainedRevisions.isEmpty else { return false }
        return Int(user) >= trainedRevisions.count || trainedRevisions[Int(user)] != revision
    }

    /// The model of `kind`, if this set has one.
    package func model(_ kind: ModelKind) -> TrainedModel? {
        models.first { $0.kind == kind }
    }
}

/// Holds the current `ModelSet`; the swap is atomic and readers never wait for training.
package final class ModelRegistry: Sendable {
    private let current = Lock<ModelSet?>(nil)

    package init() {}

    /// The set answering requests now, or nil before the first pass.
    package var snapshot: ModelSet? { current.withLock { $0 } }

    /// Makes `set` the one answering requests.
    package func publish(_ set: ModelSet) {
        current.withLock { $0 = set }
    }
}
