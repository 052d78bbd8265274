import LinearAlgebra

/// The algorithms Recsmith can train, by the names used on the command line, in the config and in `?model=`.
package enum ModelKind: String, CaseIterable, Sendable, Codable {
    case als, bpr, itemknn, trending, popular, content, random, softmax, ease, svd, mf
    /// Item embeddings from item–item relations (the product graph).
    case pairmf
    /// First-order item → next-item transitions (what people take next).
    case markov
    /// A multinomial denoising autoencoder over the user's interaction row (Mult-DAE, Recoder).
    case autoencoder
    /// A recurrent next-item model: a GRU over the user's latest items in time order (GRU4Rec-style).
    case sequence
    /// User and item embeddings through ReLU layers (PyTorch 101's DenseNet): ranking or rating objective.
    case mlp

    /// True for the models that sample their ranking (`random`, `softmax`): each query draws from a generator
    /// seeded by ``UserQuery/seed``, so two requests may get different answers and neither may be cached.
    package var samplesRankings: Bool { self == .random || self == .softmax }
}

/// An item index with its score, as returned by every model, best first.
package struct ScoredItem: Sendable, Equatable {
    /// Dense item index (the column of the training matrix).
    package var item: Int32
    /// The model's score; larger is better.
    package var score: Float

    /// Pairs `item` with `score`.
    package init(item: Int32, score: Float) {
        self.item = item
        self.score = score
    }

    /// The item and score of a top-k selection result.
    package init(_ selected: IndexedScore) {
        self.init(item: selected.index, score: selected.score)
    }
}

/// What a model is asked to score: a user by training index (if the model saw them) and their current history.
///
/// `history` comes from the live store, so it may hold events newer than the model; models that can
/// personalise from a history alone (item-kNN, ALS fold-in, content) use it when `user` is nil or out of range.
package struct UserQuery: Sendable {
    /// Row of the user in the training matrix, or nil for a user the model never saw.
    package var user: Int32?
    /// Items the user has interacted with (dense indices, any order, no duplicates).
    package var history: [Int32]
    /// Summed event weight per entry of `history`; same count.
    package var weights: [Float]
    /// A user factor the caller computed (the service's cached ALS fold-in of a fresh history); when it has
    /// the model's dimension, ALS scores with it instead of the trained row or a new fold-in. Others ignore it.
    package var factors: [Float]?
    /// Latest unix time (seconds) of each entry of `history`, same count; nil when unknown. The content model
    /// decays older items' pull with it; others ignore it.
    package var lastSeen: [Double]?
    /// The time the query is asked at (unix seconds), `t_ref` of the content model's decay; nil means the
    /// newest of `lastSeen`.
    package var referenceTime: Double?
    /// Seed of the query's own generator, read only by the sampling models (``ModelKind/samplesRankings``):
    /// the same seed gives the same sample. nil means the model's fit seed mixed with `user`, so the answer
    /// is fixed per user. The service draws a fresh seed per request; `recsmith evaluate` derives one from
    /// `--seed` and the test user.
    package var seed: UInt64?

    /// A query; `history`, `weights` and `lastSeen` (when given) must have the same count.
    package init(
        user: Int32?, history: [Int32], weights: [Float], lastSeen: [Double]? = nil, referenceTime: Double? = nil,
        seed: UInt64? = nil
    ) {
        precondition(history.count == weights.count, "history and weights must have the same count")
        precondition(lastSeen.map { $0.count == history.count } ?? true, "history and lastSeen must have the same count")
        self.user = user
        self.history = history
        self.weights = weights
        self.lastSeen = lastSeen
        self.referenceTime = referenceTime
        self.seed = seed
    }
}

/// What a model is fitted on: the interactions (users × items, one entry per (user, item) pair), for the
/// content model the items' documents, and for `mf` the explicit ratings.
package struct TrainingData: Sendable {
    /// Summed event weight per pair (1.0 for binary data). Rows are users, columns items.
    package let interactions: CSRMatrix
    /// Latest unix time (seconds) of each pair, parallel to `interactions.values`.
    package let lastSeen: [Double]
    /// The document of each item by index (nil: the item has none); nil when no documents are known. The list
    /// may be shorter or longer than the matrix has columns: items past either side have no document or no
    /// events.
    package let itemDocuments: [ItemDocument?]?
    /// The latest explicit rating of each (user, item) pair (events of the explicit types, their values), with the
    /// users and items of `interactions`; nil when not read (only `mf`, and `mlp` under the rating objective, need them).
    package let ratings: CSRMatrix?
    /// Item–item relations for `pairmf`; nil when none are known (other models ignore them).
    package let relations: ItemPairs?

    /// Training data; `lastSeen` must hold one timestamp per stored entry of `interactions`.
    package init(
        interactions: CSRMatrix, lastSeen: [Double], itemDocuments: [ItemDocument?]? = nil, ratings: CSRMatrix? = nil,
        relations: ItemPairs? = nil
    ) {
        precondition(lastSeen.count == interactions.values.count, "one timestamp per stored entry")
        self.interactions = interactions
        self.lastSeen = lastSeen
        self.itemDocuments = itemDocuments
        self.ratings = ratings
        self.relations = relations
    }
}

/// A fitted, immutable model. Every model scores through the same path: `score` → exclude → top-k.
package protocol Recommender: Sendable {
    /// Which algorithm this is.
    var kind: ModelKind { get }
    /// Number of users (rows) seen in training.
    var userCount: Int { get }
    /// Number of items (columns) seen in training; `score` writes this many values.
    var itemCount: Int { get }

    /// Writes one score per item into `scores` (count == `itemCount`) and returns true, or returns false
    /// when this model cannot answer the query (e.g. no history and an unknown user). Items the model
    /// cannot rank for this query get `-Float.infinity` and are never recommended.
    func score(_ query: UserQuery, into scores: UnsafeMutableBufferPointer<Float>) -> Bool

    /// The `count` items most similar to `item` among `allowed` (every item when nil), best first, never
    /// `item` itself; nil when this model has no notion of item similarity, empty when the item is out of range.
    func similarItems(to item: Int32, count: Int, allowed: BitSet?) -> [ScoredItem]?

    /// Scores several queries at once: query `q` writes `scores[q · itemCount ..< (q + 1) · itemCount]` and
    /// sets `answered[q]` to what `score` would return for it. Models with a faster block path (ALS, BPR:
    /// one sgemm per block of users) implement it; the default calls `score` once per query.
    func score(
        _ queries: ArraySlice<UserQuery>, into scores: UnsafeMutableBufferPointer<Float>,
        answered: UnsafeMutableBufferPointer<Bool>)

    /// Items the model can rank (score above `-Float.infinity`); fewer than `itemCount` when the model caps
    /// its catalogue (EASE's `maxItems`). Defaults to `itemCount`.
    var rankedItemCount: Int { get }

    /// True for models that solve a user's factor from a history (`foldIn`), so serving can cache that
    /// factor per history revision; false by default.
    var foldsInUsers: Bool { get }

    /// The user factor solved from a history (items with weights) against the fixed item factors; nil when
    /// the model does not fold users in, or cannot for this history. Pass it back in `UserQuery.factors`.
    func foldIn(history: [Int32], weights: [Float]) -> [Float]?
}

extension Recommender {
    /// The `count` items most similar to `item`, with no restriction on which items may appear.
    package func similarItems(to item: Int32, count: Int) -> [ScoredItem]? {
        similarItems(to: item, count: count, allowed: nil)
    }

    /// Every item, unless the model says otherwise.
    package var rankedItemCount: Int { itemCount }

    /// Models fold users in only when they say so.
    package var foldsInUsers: Bool { false }

    /// No fold-in by default.
    package func foldIn(history: [Int32], weights: [Float]) -> [Float]? { nil }

    /// Scores each query in turn through `score(_:into:)`.
    package func score(
        _ queries: ArraySlice<UserQuery>, into scores: UnsafeMutableBufferPointer<Float>,
        answered: UnsafeMutableBufferPointer<Bool>
    ) {
        precondition(scores.count >= queries.count * itemCount && answered.count >= queries.count)
        for (offset, query) in queries.enumerated() {
            let row = UnsafeMutableBufferPointer(rebasing: scores[offset * itemCount..<(offset + 1) * itemCount])
            answered[offset] = score(query, into: row)
        }
    }
}
