import LinearAlgebra

/// First-order Markov chain over items: how often item j came right after item i in a user's history (items in
/// time order), smoothed towards popularity, `P(j | i) = (c_ij + α·p_j) / (c_i + α)`.
///
/// A user's scores mix the rows of their latest items (`MarkovParameters.window`, the latest weighing most), so
/// an event a second old changes the answer at once, without a pass. Similar items are "what people take next":
/// the row of the item itself. The simple peer a recurrent next-item model must beat.
package struct Markov: Recommender {
    /// Always `.markov`.
    package var kind: ModelKind { .markov }
    /// Users in the training data.
    package let userCount: Int
    /// Items in the training data.
    package var itemCount: Int { transitions.rowCount }
    /// `c_ij`: row i holds the items that followed i, with how many times.
    package let transitions: CSRMatrix
    /// `p_j`: each item's share of the users who have it (sums to 1).
    package let prior: [Float]
    /// The hyper-parameters the model was fitted with (smoothing, window and decay apply at query time).
    package let parameters: MarkovParameters
    /// `c_i`, the row sums of `transitions`.
    let outgoing: [Float]

    /// A model over counted transitions (items × items) and a popularity prior (one share per item).
    package init(userCount: Int, transitions: CSRMatrix, prior: [Float], parameters: MarkovParameters) {
        precondition(transitions.rowCount == transitions.columnCount && prior.count == transitions.rowCount)
        self.userCount = userCount
        self.transitions = transitions
        self.prior = prior
        self.parameters = parameters
        outgoing = (0..<transitions.rowCount).map { row in
            transitions.entryRange(ofRow: row).reduce(0) { $0 + transitions.values[$1] }
        }
    }

    /// `Σ_l w_l · P(· | i_l)` over the user's latest `window` items (by `lastSeen`; every history item alike when
    /// the query has no times); false when no history item is known to the model.
    package func score(_ query: UserQuery, into scores: UnsafeMutableBufferPointer<Float>) -> Bool {
        precondition(scores.count == itemCount, "score buffer must hold itemCount values")
        let latest = latestItems(of: query)
        guard !latest.isEmpty else {
            scores.update(repeating: -.infinity)
            return false
        }
        var priorWeight: Float = 0
        for (item, weight) in latest { priorWeight += weight * parameters.smoothing / (outgoing[item] + parameters.smoothing) }
        for item in 0..<itemCount { scores[item] = priorWeight * prior[item] }
        for (item, weight) in latest {
            let share = weight / (outgoing[item] + parameters.smoothing)
            for entry in transitions.entryRange(ofRow: item) {
                scores[Int(transitions.columns[entry])] += share * transitions.values[entry]
            }
        }
        return true
    }

    /// The user's latest known items with their weights (`decay^age`), latest first.
    func latestItems(of query: UserQuery) -> [(item: Int, weight: Float)] {
        let known = query.history.indices.filter { query.history[$0] >= 0 && Int(query.history[$0]) < itemCount }
        guard let times = query.lastSeen else { return known.map { (Int(query.history[$0]), 1) } }
        // Latest first; equal times keep the later position (the store lists a user's items in index order).
        let ordered = known.sorted { times[$0] != times[$1] ? times[$0] > times[$1] : $0 > $1 }
        var weight: Float = 1
        return ordered.prefix(parameters.window).map { position in
            defer { weight *= parameters.decay }
            return (Int(query.history[position]), weight)
        }
    }

    /// The items most often taken right after `item` (smoothed towards popularity), best first, never `item`.
    package func similarItems(to item: Int32, count: Int, allowed: BitSet?) -> [ScoredItem]? {
        guard item >= 0, Int(item) < itemCount, count > 0 else { return [] }
        var scores = [Float](repeating: 0, count: itemCount)
        let query = UserQuery(user: nil, history: [item], weights: [1])
        scores.withUnsafeMutableBufferPointer { buffer in
            _ = score(query, into: buffer)
            buffer[Int(item)] = -.infinity
            allowed?.maskOthers(in: buffer)
        }
        return scores.withUnsafeBufferPointer { TopK.select($0, count: count).map(ScoredItem.init) }
    }
}
