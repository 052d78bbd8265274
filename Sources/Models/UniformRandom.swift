import LinearAlgebra

/// Uniformly random recommendations, the sanity-check floor (recsys.py's `Random`).
///
/// Every query scores the items with a random permutation of `1…n` divided by `n` (Fisher–Yates from the
/// query's generator, see ``UserQuery/seed``): scores are distinct, so once the user's items are masked the top
/// `k` are a uniform sample of the unseen items without replacement, in uniformly random order. Every item
/// of the matrix takes part, with or without events. Scores stay distinct up to 2²⁴ items (float32).
package struct UniformRandom: Recommender {
    /// Always `.random`.
    package var kind: ModelKind { .random }
    /// Users in the training data.
    package let userCount: Int
    /// Items in the training data.
    package let itemCount: Int
    /// The fit's seed; queries without a seed of their own draw from it.
    package let seed: UInt64

    /// A model over `itemCount` items.
    package init(userCount: Int, itemCount: Int, seed: UInt64) {
        self.userCount = userCount
        self.itemCount = itemCount
        self.seed = seed
    }

    /// Takes the matrix's dimensions; there is nothing else to learn.
    package static func fit(_ data: TrainingData, seed: UInt64) -> UniformRandom {
        UniformRandom(userCount: data.interactions.rowCount, itemCount: data.interactions.columnCount, seed: seed)
    }

    /// Writes a fresh random permutation of the ranks; answers every query.
    package func score(_ query: UserQuery, into scores: UnsafeMutableBufferPointer<Float>) -> Bool {
        precondition(scores.count == itemCount, "score buffer must hold itemCount values")
        guard itemCount > 0 else { return true }
        var generator = QuerySampling.generator(for: query, fitSeed: seed)
        let scale = Float(itemCount)
        for item in 0..<itemCount { scores[item] = Float(item + 1) / scale }
        for last in stride(from: itemCount - 1, to: 0, by: -1) {
            scores.swapAt(last, generator.nextIndex(below: last + 1))
        }
        return true
    }

    /// Random recommendations have no notion of item similarity.
    package func similarItems(to item: Int32, count: Int, allowed: BitSet?) -> [ScoredItem]? {
        nil
    }
}
