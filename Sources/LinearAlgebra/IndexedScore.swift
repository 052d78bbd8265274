/// A row/column index with its score, as produced by `TopKSelector`.
public struct IndexedScore: Sendable, Equatable {
    /// The index (an item, a user, …).
    public var index: Int32
    /// The score; larger is better.
    public var score: Float

    /// Pairs `index` with `score`.
    public init(index: Int32, score: Float) {
        self.index = index
        self.score = score
    }

    /// Whether `self` ranks before `other`: higher score first, equal scores by smaller index.
    @inlinable
    public func ranksBefore(_ other: IndexedScore) -> Bool {
        score > other.score || (score == other.score && index < other.index)
    }
}
