import LinearAlgebra

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Content-based recommendations (recsys.py's `ContentBased`): items are sparse TF-IDF or BM25 vectors of
/// their categories, labels and text words; a user is the time-decayed, weight-scaled sum of their items'
/// vectors; an item's score is its cosine to that profile.
///
/// Item `i` of a history, with summed event weight `w_i` and latest time `t_i`, adds
/// `w_i · 2^(−(t_ref − t_i) / half_life) · v_i` to the profile (no decay when the query has no times). Only
/// items with a document (`TrainingData.itemDocuments`) have a vector, events or not; every other item,
/// and every item sharing no term with the profile, scores `-Float.infinity`, so lists can be shorter than
/// asked. Scoring walks the inverted index: it costs the postings of the profile's terms, not items × terms.
package struct ContentModel: Recommender {
    /// Always `.content`.
    package var kind: ModelKind { .content }
    /// Users in the training data.
    package let userCount: Int
    /// Items covered: the training matrix's columns, the documents, and items added by `updating`.
    package let itemCount: Int
    /// The parameters the model was fitted with (updates weight new documents with them too).
    package let parameters: ContentParameters
    /// The fitted vectors, shared by every model `updating` derives.
    let index: ContentIndex
    /// Items changed since the fit.
    let overlay: ContentOverlay

    /// A model over a fitted index and its changes.
    init(userCount: Int, itemCount: Int, parameters: ContentParameters, index: ContentIndex, overlay: ContentOverlay) {
        precondition(itemCount >= index.vectors.rowCount, "the model covers every indexed item")
        self.userCount = userCount
        self.itemCount = itemCount
        self.parameters = parameters
        self.index = index
        self.overlay = overlay
    }

    /// Writes every item's cosine to the user's profile; false (and all `-inf`) when no history item has a vector.
    package func score(_ query: UserQuery, into scores: UnsafeMutableBufferPointer<Float>) -> Bool {
        precondition(scores.count == itemCount, "score buffer must hold itemCount values")
        guard let profile = profile(of: query) else {
            scores.update(repeating: -.infinity)
            return false
        }
        cosines(to: profile, into: scores)
        return true
    }

    /// Items by cosine of their vectors to `item`'s, best first, never `item` itself; empty when `item` is out
    /// of range or has no document.
    package func similarItems(to item: Int32, count: Int, allowed: BitSet?) -> [ScoredItem]? {
        guard item >= 0, Int(item) < itemCount, count > 0 else { return [] }
        let vector = vector(of: item)
        guard !vector.isEmpty else { return [] }
        return withUnsafeTemporaryAllocation(of: Float.self, capacity: itemCount) { scores in
            cosines(to: vector, into: scores)
            scores[Int(item)] = -.infinity
            allowed?.maskOthers(in: scores)
            return TopK.select(UnsafeBufferPointer(scores), count: count).map(ScoredItem.init)
        }
    }

    /// The current vector of `item` (its overlay entry when it changed since the fit); empty without one.
    func vector(of item: Int32) -> ContentVector {
        overlay.vectors[item] ?? index.vector(of: Int(item))
    }

    /// Calls `body` with every (term, weight) of `item`'s current vector, without copying base rows.
    private func forEachEntry(of item: Int32, _ body: (Int32, Float) -> Void) {
        if let changed = overlay.vectors[item] {
            for (term, weight) in zip(changed.terms, changed.weights) { body(term, weight) }
        } else if Int(item) < index.vectors.rowCount {
            index.vectors.withRow(Int(item)) { terms, weights in
                for entry in 0..<terms.count { body(terms[entry], weights[entry]) }
            }
        }
    }

    private func hasVector(_ item: Int32) -> Bool {
        if let changed = overlay.vectors[item] { return !changed.isEmpty }
        return Int(item) < index.vectors.rowCount && index.vectors.nonzeroCount(ofRow: Int(item)) > 0
    }

    /// The user's profile, unnormalised, terms ascending; nil when no history item has a vector.
    ///
    /// Decay factors are taken relative to the newest contributing item (`2^(e_i − max e)`) in float64. The
    /// common factor cancels in the cosine, so `t_ref` does not change the ranking, and a history years older
    /// than `t_ref` does not underflow to a zero profile.
    func profile(of query: UserQuery) -> ContentVector? {
        var contributing: [(entry: Int, exponent: Double)] = []
        var newest = -Double.infinity
        let reference = query.referenceTime ?? query.lastSeen?.max() ?? 0
        for (entry, item) in query.history.enumerated() where item >= 0 && Int(item) < itemCount && hasVector(item) {
            let exponent = query.lastSeen.map { -(reference - $0[entry]) / parameters.halfLifeSeconds } ?? 0
            guard exponent.isFinite else { continue }
            contributing.append((entry, exponent))
            newest = max(newest, exponent)
        }
        var pairs: [(term: Int32, weight: Float)] = []
        for (entry, exponent) in contributing {
            let factor = Float(Double(query.weights[entry]) * exp2(exponent - newest))
            guard factor > 0, factor.isFinite else { continue }
            forEachEntry(of: query.history[entry]) { term, weight in pairs.append((term, factor * weight)) }
        }
        guard !pairs.isEmpty else { return nil }
        pairs.sort { $0.term < $1.term }
        var profile = ContentVector()
        for (term, weight) in pairs {
            if profile.terms.last == term {
                profile.weights[profile.weights.count - 1] += weight
            } else {
                profile.terms.append(term)
                profile.weights.append(weight)
            }
        }
        return profile.weights.contains { $0 > 0 } ? profile : nil
    }

    /// Writes the cosine of every item to `profile` (`-inf` where it is 0 or the item has no vector).
    ///
    /// The base postings are walked first; then every overlay item's score is recomputed from its new vector,
    /// which overwrites whatever its stale base postings added.
    func cosines(to profile: ContentVector, into scores: UnsafeMutableBufferPointer<Float>) {
        scores.update(repeating: 0)
        let postings = index.postings
        postings.rowOffsets.withUnsafeBufferPointer { offsets in
            postings.columns.withUnsafeBufferPointer { items in
                postings.values.withUnsafeBufferPointer { weights in
                    for (term, profileWeight) in zip(profile.terms, profile.weights) where Int(term) < postings.rowCount {
                        for entry in offsets[Int(term)]..<offsets[Int(term) + 1] {
                            scores[Int(items[entry])] += profileWeight * weights[entry]
                        }
                    }
                }
            }
        }
        for (item, vector) in overlay.vectors { scores[Int(item)] = vector.dot(profile) }
        let scale = 1 / profile.norm
        for item in 0..<scores.count { scores[item] = scores[item] > 0 ? scores[item] * scale : -.infinity }
    }
}
