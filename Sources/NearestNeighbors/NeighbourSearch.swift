import LinearAlgebra

/// What `HNSWIndex.search` found, and how.
package struct NeighbourSearch: Sendable, Equatable {
    /// How the items were found.
    package enum Method: Sendable, Equatable {
        /// The graph search found them, with the head's (approximate).
        case graph
        /// The head scan of an inner-product index found them, and proved that no other item scores as well
        /// (exact; `NormHead`).
        case bounded
        /// The index holds no more items than the search width, so every item was scored (exact).
        case exhaustive
        /// The graph search scored more items than its bound (`HNSWParameters.fallbackFraction`), or ended with
        /// fewer than the items asked for, so every item was scored instead (exact). Serving counts these.
        case fallback
    }

    /// The best items that passed the predicate, best first (equal scores by smaller id); fewer than asked
    /// for only when fewer pass.
    package var items: [IndexedScore]
    /// How they were found.
    package var method: Method
    /// Items scored, the exact scan's included.
    package var evaluations: Int

    /// Whether the graph search gave up and every item was scored instead.
    package var fellBack: Bool { method == .fallback }
}
