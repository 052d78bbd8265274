/// Weighted item–item pairs (the store's relations, directed pairs with weights summed over types), what
/// `pairmf` trains on; other models ignore them. Indices are the item columns of the training data; `itemCount`
/// may exceed the interaction matrix's columns (items known only from relations).
package struct ItemPairs: Sendable, Equatable {
    /// Items the indices range over.
    package let itemCount: Int
    package let first: [Int32]
    package let second: [Int32]
    package let weights: [Float]

    /// Pairs over `itemCount` items; the three arrays have one entry per pair, every index below `itemCount`.
    package init(itemCount: Int, first: [Int32], second: [Int32], weights: [Float]) {
        precondition(first.count == second.count && second.count == weights.count, "one first, second and weight per pair")
        self.itemCount = itemCount
        self.first = first
        self.second = second
        self.weights = weights
    }

    /// Pairs held.
    package var count: Int { first.count }
}
