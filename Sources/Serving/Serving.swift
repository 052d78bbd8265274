import Catalogue
import EventStore
import Filtering
import LinearAlgebra
import Models
import NearestNeighbors

#if canImport(Glibc)
    import Glibc
#endif

/// Answers recommendation and similar-item queries from the current model set and the live store.
///
/// Seen items come from the store, not the snapshot, so an event counts the moment its 200 is sent.
/// Users the chosen model cannot personalise for fall back to trending, then popular; the answer
/// names the model that produced it. The sampling models (`random`, `softmax`) answer every user, each request
/// with a new seed from ``RequestSeeds``. Before the first pass, a store with events answers from live popularity
/// (`liveVersion`): the item weights ingest keeps current.
///
/// Every answer leaves out what the catalogue says must not be shown at the time of the request (deleted,
/// hidden, unpublished, expired items) and keeps to the request's categories; the restriction is applied to the
/// scores before the top-k cut, so `count` items come back whenever that many pass.
package struct Serving: Sendable {
    /// A ranked list with the model and version that produced it.
    package struct Answer: Sendable {
        package let model: ModelKind
        package let version: String
        package let items: [(id: String, score: Float)]
    }

    /// Why a query cannot be answered.
    package enum Failure: Error, Sendable, Equatable {
        /// No training pass has published models yet.
        case noModels
        /// The requested model is not configured or not trained.
        case unknownModel(String)
        /// The item is not in the store or not in the model.
        case unknownItem(String)
        /// The requested model does not predict ratings (only `mf` and a rating-objective `mlp` do).
        case notARatingModel(String)
    }

    let store: any EventStore
    let catalogue: Catalogue
    let registry: ModelRegistry
    /// Unix seconds now; visibility dates are compared with it.
    package let clock: @Sendable () -> Double
    let preference: [ModelKind]
    /// Models tried for similar items when a request names none, in order.
    let similarityPreference: [ModelKind]
    /// Folded-in factors of users whose history changed since the pass (or who are new to the models).
    let foldIns = FoldInCache()
    /// `mf`'s user vectors folded in from ratings, apart from `foldIns` (another model's vectors for the same user).
    let ratingFoldIns = FoldInCache()
    /// A rating-objective `mlp`'s user vectors folded in from ratings, apart from `mf`'s.
    let mlpRatingFoldIns = FoldInCache()
    /// The content model, kept current with the catalogue; nil when `content` is not configured.
    package let content: LiveContent?
    /// A new seed for every answer of a sampling model, so each request gets a fresh draw.
    let seeds: RequestSeeds
    /// Told how every index search went (the metrics count fallbacks to a full scan).
    let observeIndexSearch: @Sendable (ModelKind, NeighbourSearch.Method) -> Void

    private static let fallbacks: [ModelKind] = [.trending, .popular]

    /// Models with item similarity, tried in this order after the configured one.
    static let similarityFallbacks: [ModelKind] = [
        .itemknn, .als, .bpr, .svd, .ease, .content, .mf, .autoencoder, .markov, .sequence,
    ]

    package init(
        store: any EventStore, catalogue: Catalogue, registry: ModelRegistry, preference: [ModelKind],
        similarItems: ModelKind = .itemknn, content: LiveContent? = nil, seeds: RequestSeeds = RequestSeeds(),
        clock: @escaping @Sendable () -> Double = Serving.wallClock,
        observeIndexSearch: @escaping @Sendable (ModelKind, NeighbourSearch.Method) -> Void = { _, _ in }
    ) {
        self.store = store
        self.observeIndexSearch = observeIndexSearch
        self.seeds = seeds
        self.content = content
        self.catalogue = catalogue
        self.registry = registry
        self.clock = clock
        self.preference = preference
        similarityPreference = [similarItems] + Self.similarityFallbacks.filter { $0 != similarItems }
    }

    /// The `version` of answers from live popularity, before any pass has published models.
    package static let liveVersion = "live"

    /// The system's clock as unix seconds.
    package static let wallClock: @Sendable () -> Double = {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }

    /// Top `count` unseen items for `user`, best first, among visible items (in `categories` when not empty, and
    /// passing `filter` when given).
    ///
    /// The chain: the requested model, else the set's default (chosen on held-out events by `serving.model = auto`),
    /// else the first configured personal model the current set has; then
    /// `content` (users whose history the collaborative models cannot use yet, such as one of new items); then
    /// trending and popular. Before the first pass: `content`, then live popularity.
    package func recommend(
        user: String, count: Int, model requested: ModelKind?, excluding excludedIDs: [String], categories: [String] = [],
        filter: FilterExpression? = nil
    ) throws(Failure) -> Answer {
        let allowed = catalogue.allowedItems(count: store.itemCount, at: clock(), categories: categories, filter: filter)
        let userIndex = store.userIndex(user)
        // The revision is read before the history: a history newer than its revision is re-solved next time.
        let revision = userIndex.map { store.historyRevision(ofUser: $0) } ?? 0
        let history = userIndex.map { store.timedHistory(ofUser: $0) } ?? (items: [], weights: [], lastSeen: [])
        let excluded = excludedIDs.compactMap { store.itemIndex($0) }
        let set = registry.snapshot
        let contentModel = content?.model
        if let requested, requested == .content ? contentModel == nil : set?.model(requested) == nil {
            guard set != nil || requested == .popular || requested == .content else { throw .noModels }
            if requested != .popular || set != nil { throw .unknownModel(requested.rawValue) }
        }
        guard let set else {
            if requested != .popular, let contentModel,
               let answer = contentAnswer(contentModel, history: history, count: count, excluding: excluded, allowed: allowed,
                                          version: content!.version) {
                return answer
            }
            return try livePopularity(history: (history.items, history.weights), count: count, excluding: excluded, allowed: allowed)
        }

        let primary = requested ?? set.defaultModel
            ?? preference.first { $0 != .content && set.model($0) != nil && !Self.fallbacks.contains($0) }
        let chain = (primary.map { [$0] } ?? []) + ([.content] + Self.fallbacks).filter { $0 != primary }
        for kind in chain {
            if kind == .content {
                guard let contentModel else { continue }
                if let answer = contentAnswer(contentModel, history: history, count: count, excluding: excluded, allowed: allowed,
                                              version: set.version) {
                    return answer
                }
                continue
            }
            guard let trained = set.model(kind) else { continue }
            let model = trained.model
            let known = history.items.indices.filter { Int(history.items[$0]) < model.itemCount }
            // Markov and sequence answer from the user's latest items, so they get the times (only they: one array less
            // per request).
            var query = UserQuery(
                user: userIndex.flatMap { Int($0) < model.userCount ? $0 : nil },
                history: known.map { history.items[$0] },
                weights: known.map { history.weights[$0] },
                lastSeen: kind == .markov || kind == .sequence ? known.map { history.lastSeen[$0] } : nil)
            // Sampling models answer anyone, like the fallbacks, with a fresh draw per request.
            let isPersonal = !Self.fallbacks.contains(kind) && !kind.samplesRankings
            if isPersonal && query.history.isEmpty { continue }
            if kind.samplesRankings { query.seed = seeds.next() }
            // (The kind is checked before the protocol cast: a conformance check on every request would cost more.)
            if kind == .mf || kind == .mlp, let rating = model as? any RatingModel, rating.predictsRatings {
                // Ranked by predicted rating: a user without trained ratings, or with newer events, is folded in
                // from their latest ratings.
                guard let userIndex else { continue }
                if query.user.map({ !rating.knows(user: $0) }) ?? true || set.hasNewEvents(user: userIndex, revision: revision) {
                    query.factors = ratingVector(rating, user: userIndex, revision: revision, version: set.version)
                    if query.factors == nil { continue }
                }
            } else if model.foldsInUsers, let userIndex, query.user == nil || set.hasNewEvents(user: userIndex, revision: revision) {
                // Fresh events count at once: the user's factor is folded in from the current history.
                let history = query
                query.factors = foldIns.factors(user: userIndex, revision: revision, version: set.version) {
                    model.foldIn(history: history.history, weights: history.weights)
                }
                if query.factors == nil { continue }
            }
            let ranked = trained.index.flatMap { index in
                searchIndex(index, of: trained, for: query, count: count, excluding: excluded, allowed: allowed)
            } ?? Models.recommend(model, for: query, count: count, excluding: excluded, allowed: allowed)
            // A personal model with nothing to offer (e.g. every neighbour already seen) yields to the fallbacks.
            if ranked.isEmpty && isPersonal { continue }
            return answer(kind, version: set.version, ranked)
        }
        throw .noModels
    }

    /// The model's answer from its HNSW index: the query's vector searched among the items that are not in the
    /// history (sorted, as the store keeps it), not `excluded` and `allowed`; nil when the model cannot make a
    /// vector for the query (then neither can its full scan).
    private func searchIndex(
        _ index: HNSWIndex, of trained: TrainedModel, for query: UserQuery, count: Int, excluding excluded: [Int32],
        allowed: BitSet?
    ) -> [ScoredItem]? {
        guard let model = trained.model as? any InnerProductScoring, index.dimension == model.itemFactors.columnCount else {
            return nil
        }
        return withUnsafeTemporaryAllocation(of: Float.self, capacity: index.dimension) { vector in
            guard model.userVector(for: query, into: vector) else { return nil }
            let history = query.history
            // A filter few items pass would send the graph walk to its fallback anyway, which tests every item:
            // scoring only the passing ones is cheaper (1% of a million items: 10,000 dot products).
            if let allowed, Self.fewPass(allowed, of: index) {
                observeIndexSearch(trained.kind, .fallback)
                let width = model.itemFactors.columnCount
                return model.itemFactors.withUnsafeBufferPointer { factors in
                    Self.scan(allowed, itemCount: model.itemCount, count: count) { item in
                        VectorKernels.dot(vector.baseAddress!, factors.baseAddress! + item * width, count: width)
                    } where: { item in
                        !Self.sortedContains(history, item) && !excluded.contains(item)
                    }
                }
            }
            let search = index.search(UnsafeBufferPointer(vector), count: count) { item in
                if let allowed, !allowed.contains(Int(item)) { return false }
                if Self.sortedContains(history, item) { return false }
                return !excluded.contains(item)
            }
            observeIndexSearch(trained.kind, search.method)
            return search.items.map { ScoredItem(item: $0.index, score: $0.score) }
        }
    }

    /// Whether so few items pass `allowed` that scoring them beats a graph walk, which would fall back to testing
    /// every item anyway (1% of a million items: 10,000 dot products).
    private static func fewPass(_ allowed: BitSet, of index: HNSWIndex) -> Bool {
        Double(allowed.cardinality) <= index.parameters.fallbackFraction * Double(index.count)
    }

    /// The best `count` of the items below `itemCount` in `allowed` that `isAllowed` passes, by `score`.
    private static func scan(
        _ allowed: BitSet, itemCount: Int, count: Int, score: (Int) -> Float, where isAllowed: (Int32) -> Bool
    ) -> [ScoredItem] {
        var selector = TopKSelector(capacity: count)
        allowed.forEach { item in
            guard item < itemCount, isAllowed(Int32(item)) else { return }
            selector.offer(index: Int32(item), score: score(item))
        }
        return selector.drainBestFirst { ScoredItem(item: $0.index, score: $0.score) }
    }

    /// The model's similar items from an index, or nil when it has none for them (then it scores every item): a
    /// model with cosine similar items searches its cosine index with the item's own vector; `sequence`, whose
    /// similar items are what comes next, searches its inner-product index with the state after the item alone.
    private func indexedSimilarItems(_ trained: TrainedModel, to item: Int32, count: Int, allowed: BitSet?) -> [ScoredItem]? {
        if let index = trained.similarityIndex, let model = trained.model as? any CosineItemSimilarity,
           index.count == model.itemCount, index.dimension == model.similarityDimensions {
            let norms = model.similarityNorms
            guard norms[Int(item)] > 0 else { return [] }
            if let allowed, Self.fewPass(allowed, of: index) {
                observeIndexSearch(trained.kind, .fallback)
                return index.withVector(of: item) { query in
                    Self.scan(allowed, itemCount: index.count, count: count) { candidate in
                        index.withVector(of: Int32(candidate)) { VectorKernels.dot(query.baseAddress!, $0.baseAddress!, count: query.count) }
                    } where: { candidate in
                        candidate != item && norms[Int(candidate)] > 0
                    }
                }
            }
            // Twice the search width of recommendations: the cosine graph over item factors needs it for the same
            // recall (measured on 100,000 ALS items, recall@10 0.945 at ef 50, 0.962 at ef 100; hnswlib alike).
            return index.withVector(of: item) { query in
                let search = index.search(query, count: count, width: 2 * index.parameters.searchWidth) { candidate in
                    if let allowed, !allowed.contains(Int(candidate)) { return false }
                    return candidate != item && norms[Int(candidate)] > 0
                }
                observeIndexSearch(trained.kind, search.method)
                return search.items.map { ScoredItem(item: $0.index, score: $0.score) }
            }
        }
        if trained.kind == .sequence, let index = trained.index {
            return searchIndex(index, of: trained, for: UserQuery(user: nil, history: [item], weights: [1]), count: count,
                               excluding: [], allowed: allowed)
        }
        return nil
    }

    /// Binary search of a sorted array.
    private static func sortedContains(_ sorted: [Int32], _ value: Int32) -> Bool {
        var (low, high) = (0, sorted.count)
        while low < high {
            let middle = (low + high) / 2
            if sorted[middle] < value { low = middle + 1 } else { high = middle }
        }
        return low < sorted.count && sorted[low] == value
    }

    /// The content model's answer from the user's timed history (decayed to now); nil when it has nothing to offer.
    private func contentAnswer(
        _ model: ContentModel, history: (items: [Int32], weights: [Float], lastSeen: [Double]), count: Int,
        excluding excluded: [Int32], allowed: BitSet?, version: String
    ) -> Answer? {
        guard !history.items.isEmpty else { return nil }
        let query = UserQuery(user: nil, history: history.items, weights: history.weights, lastSeen: history.lastSeen,
                              referenceTime: clock())
        let ranked = Models.recommend(model, for: query, count: count, excluding: excluded, allowed: allowed)
        return ranked.isEmpty ? nil : answer(.content, version: version, ranked)
    }

    private func answer(_ kind: ModelKind, version: String, _ ranked: [ScoredItem]) -> Answer {
        Answer(model: kind, version: version, items: ranked.compactMap { scored in
            store.itemID(at: scored.item).map { (id: $0, score: scored.score) }
        })
    }

    /// Popularity from the weights ingest keeps, for a store whose first pass has not ended yet.
    private func livePopularity(
        history: (items: [Int32], weights: [Float]), count: Int, excluding excluded: [Int32], allowed: BitSet?
    ) throws(Failure) -> Answer {
        let weights = store.liveItemWeights()
        guard !weights.isEmpty else { throw .noModels }
        let model = Popular(userCount: 0, itemScores: weights)
        let ranked = Models.recommend(model, for: UserQuery(user: nil, history: history.items, weights: history.weights), count: count,
                                      excluding: excluded, allowed: allowed)
        return Answer(model: .popular, version: Self.liveVersion, items: ranked.compactMap { scored in
            store.itemID(at: scored.item).map { (id: $0, score: scored.score) }
        })
    }

    /// The `count` items most similar to `item`, best first, among visible items (in `categories` when not
    /// empty, and passing `filter` when given). A deleted item is unknown. `content` answers for items with a
    /// record from the moment it is written, before any pass.
    package func similar(
        to item: String, count: Int, model requested: ModelKind?, categories: [String] = [], filter: FilterExpression? = nil
    ) throws(Failure) -> Answer {
        let set = registry.snapshot
        let contentModel = content?.model
        if let requested, requested == .content ? contentModel == nil : set?.model(requested) == nil {
            throw set == nil && requested != .content ? .noModels : .unknownModel(requested.rawValue)
        }
        guard set != nil || contentModel != nil else { throw .noModels }
        guard let index = store.itemIndex(item), !catalogue.isDeleted(item: index) else { throw .unknownItem(item) }
        let allowed = catalogue.allowedItems(count: store.itemCount, at: clock(), categories: categories, filter: filter)
        let candidates = requested.map { [$0] } ?? similarityPreference
        // Without a named model, one with nothing to offer for this item (an item without events or neighbours)
        // yields to the next; the first empty answer stands when none has more.
        var empty: Answer?
        for kind in candidates {
            let trained = kind == .content ? nil : set?.model(kind)
            guard let model: any Recommender = kind == .content ? contentModel : trained?.model else { continue }
            // An item newer than the model's pass (or without a document): the next model may know it.
            guard Int(index) < model.itemCount else { continue }
            let indexed = trained.flatMap { indexedSimilarItems($0, to: index, count: count, allowed: allowed) }
            guard let similar = indexed ?? model.similarItems(to: index, count: count, allowed: allowed) else {
                throw .unknownModel("\(kind.rawValue) has no item similarity")
            }
            let result = answer(kind, version: set?.version ?? content!.version, similar)
            if similar.isEmpty && requested == nil {
                empty = empty ?? result
                continue
            }
            return result
        }
        if let empty { return empty }
        throw .unknownItem(item)
    }
}
