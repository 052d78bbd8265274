/// A row/column index with its score, as produced by `TopKSelector`.
package struct IndexedScore: Sendable, Equatable {
    /// The index (an item, a user, …).
    package var index: Int32
    /// The score; larger is better.
    package var score: Float

    /// Pairs `index` with `score`.
    package init(index: Int32, score: Float) {
        self.index = index
        self.score = score
    }

    /// Whether `self` ranks before `other`: higher score first, equal scores by smaller index.
    @inlinable
    package func ranksBefore(_ other: IndexedScore) -> Bool {
        score > other.score || (score == other.score && index < other.index)
    }
}
