import Models
import Locking

/// One trained model and the facts `GET /models` reports about it.
public struct TrainedModel: Sendable {
    public let model: any Recommender
    public let trainingSeconds: Double
    public let users: Int
    public let items: Int
    public let events: Int

    public var kind: ModelKind { model.kind }
}

/// An immutable set of models from one training pass, published as a whole.
///
/// Readers take a reference to the current set and use it without locks; a new pass builds a new set
/// and swaps it in, so a request never sees models from two passes.
public final class ModelSet: Sendable {
    /// Identifies the pass, e.g. `3-1764007200`; also the `version` and `ETag` of answers.
    public let version: String
    /// Sequence number of the pass that built this set.
    public let pass: Int
    /// When the pass finished, unix seconds.
    public let trainedAt: Double
    /// The models, in configured order of preference.
    public let models: [TrainedModel]
    /// Each user's history revision the models were trained on, by user index; empty when unknown (a set
    /// loaded from disk). A user whose revision moved on since has events the models have not seen.
    let trainedRevisions: [Int]

    public init(pass: Int, trainedAt: Double, models: [TrainedModel], trainedRevisions: [Int] = []) {
        self.pass = pass
        self.trainedAt = trainedAt
        self.models = models
        self.trainedRevisions = trainedRevisions
        version = "\(pass)-\(Int(trainedAt))"
    }

    /// True when `user` has events the models were not trained on (false when that is unknown).
    func hasNewEvents(user: Int32, revision: Int) -> Bool {
        guard !trainedRevisions.isEmpty else { return false }
        return Int(user) >= trainedRevisions.count || trainedRevisions[Int(user)] != revision
    }

    /// The model of `kind`, if this set has one.
    public func model(_ kind: ModelKind) -> TrainedModel? {
        models.first { $0.kind == kind }
    }
}

/// Holds the current `ModelSet`; the swap is atomic and readers never wait for training.
public final class ModelRegistry: Sendable {
    private let current = Lock<ModelSet?>(nil)

    public init() {}

    /// The set answering requests now, or nil before the first pass.
    public var snapshot: ModelSet? { current.withLock { $0 } }

    /// Makes `set` the one answering requests.
    public func publish(_ set: ModelSet) {
        current.withLock { $0 = set }
    }
}
