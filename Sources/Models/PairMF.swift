import LinearAlgebra

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Item embeddings learnt from item–item relations (the product-graph post's matrix factorisation, pair by pair):
/// the probability that items `i` and `j` are related is σ(b_i + b_j + e_i·e_j), without the biases when they are
/// off. Items in no training relation have a zero embedding and are never ranked.
///
/// Similar items are the related-probability ranking; a user is scored from their items' neighbourhoods: the
/// weighted mean of their history's embeddings `v`, score_j = e_j·v + b_j (the mean logit over the history, up to
/// the history's own biases, which do not change the ranking). `score` returns false when no history item has an
/// embedding; the user's training row is not used (pairs know no users).
package struct PairMF: Recommender {
    /// Always `.pairmf`.
    package var kind: ModelKind { .pairmf }
    /// items × factors.
    package let embeddings: DenseMatrix
    /// One bias per item; all zero when the model was trained without biases.
    package let biases: [Float]
    /// Users in the training data (pairs know none; kept for the model listing and archives).
    package let userCount: Int
    /// L2 norm of every embedding; zero for items in no training relation.
    let norms: [Float]

    /// Items the model knows.
    package var itemCount: Int { embeddings.rowCount }
    /// Embedding dimension.
    package var factors: Int { embeddings.columnCount }
    /// Whether any bias is non-zero (the model was trained with biases).
    package var hasBiases: Bool { biases.contains { $0 != 0 } }

    /// A model over trained embeddings and biases (one per row).
    package init(embeddings: DenseMatrix, biases: [Float], userCount: Int) {
        precondition(biases.count == embeddings.rowCount, "one bias per item")
        self.embeddings = embeddings
        self.biases = biases
        self.userCount = userCount
        BLAS.useSingleThread()
        norms = FactorScoring.rowNorms(embeddings, dimensions: embeddings.columnCount)
    }

    /// `e_j · v + b_j` for the weighted mean `v` of the history's embeddings; false without a known history item.
    package func score(_ query: UserQuery, into scores: UnsafeMutableBufferPointer<Float>) -> Bool {
        precondition(scores.count == itemCount, "score buffer must hold itemCount values")
        return withUnsafeTemporaryAllocation(of: Float.self, capacity: factors) { vector in
            vector.update(repeating: 0)
            var total: Float = 0
            embeddings.withUnsafeBufferPointer { rows in
                for (item, weight) in zip(query.history, query.weights)
                where item >= 0 && Int(item) < itemCount && norms[Int(item)] > 0 && weight > 0 {
                    VectorKernels.axpy(weight, rows.baseAddress! + Int(item) * factors, vector.baseAddress!, count: factors)
                    total += weight
                }
            }
            guard total > 0 else {
                scores.update(repeating: -.infinity)
                return false
            }
            for column in 0..<factors { vector[column] /= total }
            FactorScoring.score(vector: vector.baseAddress!, items: embeddings, into: scores)
            for item in 0..<itemCount { scores[item] = norms[item] > 0 ? scores[item] + biases[item] : -.infinity }
            return true
        }
    }

    /// The logits `b_item + b_j + e_item·e_j` for every `j` into `scores` (count == `itemCount`); `-∞` for items
    /// without an embedding, and for all when `item` has none. `recsmith evaluate --task pairs` ranks with these.
    package func pairLogits(of item: Int32, into scores: UnsafeMutableBufferPointer<Float>) {
        precondition(scores.count == itemCount, "score buffer must hold itemCount values")
        guard item >= 0, Int(item) < itemCount, norms[Int(item)] > 0 else {
            scores.update(repeating: -.infinity)
            return
        }
        embeddings.withUnsafeBufferPointer { rows in
            FactorScoring.score(vector: rows.baseAddress! + Int(item) * factors, items: embeddings, into: scores)
        }
        let own = biases[Int(item)]
        for other in 0..<itemCount { scores[other] = norms[other] > 0 ? scores[other] + own + biases[other] : -.infinity }
    }

    /// The items most likely related to `item`, best first, scored σ(b_i + b_j + e_i·e_j); never `item` itself.
    package func similarItems(to item: Int32, count: Int, allowed: BitSet?) -> [ScoredItem]? {
        guard item >= 0, Int(item) < itemCount, count > 0 else { return [] }
        var logits = [Float](repeating: 0, count: itemCount)
        logits.withUnsafeMutableBufferPointer { buffer in
            pairLogits(of: item, into: buffer)
            buffer[Int(item)] = -.infinity
            if let allowed { allowed.maskOthers(in: buffer) }
        }
        return logits.withUnsafeBufferPointer { buffer in
            TopK.select(buffer, count: count).map { ScoredItem(item: $0.index, score: 1 / (1 + expf(-$0.score))) }
        }
    }
}
