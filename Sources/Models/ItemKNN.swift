import LinearAlgebra

/// Item-based k-nearest neighbours (implicit's `ItemItemRecommender` family).
///
/// Training keeps, for every item j, its `neighbors` most similar items (itself included) with their
/// similarities: the row `sim_K(j, ·)`. A user's score for item i is `Σ_{j ∈ history} w_j · sim_K(j, i)`
/// (`w_j` the history weight, 1 on binary data). Only items with a nonzero score are rankable; every other
/// item scores `-Float.infinity`, so lists can be shorter than asked (no back-fill).
package struct ItemKNN: Recommender {
    /// Always `.itemknn`.
    package var kind: ModelKind { .itemknn }
    /// Users in the training data.
    package let userCount: Int
    /// Items in the training data.
    package let itemCount: Int
    /// `itemCount + 1` offsets into `neighborItems` / `neighborScores`.
    package let neighborOffsets: [Int]
    /// Kept neighbours of every item, best first (higher similarity, then smaller index).
    package let neighborItems: [Int32]
    /// Similarity of every kept neighbour, parallel to `neighborItems`.
    package let neighborScores: [Float]

    /// A model over a precomputed neighbour table (validated by the caller, e.g. the archive reader).
    init(userCount: Int, itemCount: Int, neighborOffsets: [Int], neighborItems: [Int32], neighborScores: [Float]) {
        self.userCount = userCount
        self.itemCount = itemCount
        self.neighborOffsets = neighborOffsets
        self.neighborItems = neighborItems
        self.neighborScores = neighborScores
    }

    /// Accumulates the kept similarity rows of the history; false (and all `-inf`) when no history item
    /// is known to the model.
    package func score(_ query: UserQuery, into scores: UnsafeMutableBufferPointer<Float>) -> Bool {
        precondition(scores.count == itemCount, "score buffer must hold itemCount values")
        scores.update(repeating: 0)
        var answered = false
        neighborItems.withUnsafeBufferPointer { items in
            neighborScores.withUnsafeBufferPointer { similarities in
                for (item, weight) in zip(query.history, query.weights) where item >= 0 && Int(item) < itemCount {
                    answered = true
                    for entry in neighborOffsets[Int(item)]..<neighborOffsets[Int(item) + 1] {
                        scores[Int(items[entry])] += weight * similarities[entry]
                    }
                }
            }
        }
        for index in 0..<scores.count where scores[index] == 0 { scores[index] = -.infinity }
        return answered
    }

    /// The most similar kept neighbours of `item` that `allowed` holds, never `item` itself; empty when out of
    /// range. Only the kept neighbours are candidates, so a narrow `allowed` can leave fewer than `count`.
    package func similarItems(to item: Int32, count: Int, allowed: BitSet?) -> [ScoredItem]? {
        guard item >= 0, Int(item) < itemCount, count > 0 else { return [] }
        var result = [ScoredItem]()
        for entry in neighborOffsets[Int(item)]..<neighborOffsets[Int(item) + 1]
        where neighborItems[entry] != item && allowed?.contains(Int(neighborItems[entry])) != false {
            result.append(ScoredItem(item: neighborItems[entry], score: neighborScores[entry]))
            if result.count == count { break }
        }
        return result
    }
}
