/// Which end of a relation an item is on.
package enum RelationDirection: String, Sendable, CaseIterable {
    /// Relations whose `from` is the item.
    case outgoing = "out"
    /// Relations whose `to` is the item.
    case incoming = "in"
}

/// One stored relation, by item index.
package struct StoredRelation: Sendable, Equatable {
    package let from: Int32
    package let to: Int32
    package let type: String
    package let weight: Float

    package init(from: Int32, to: Int32, type: String, weight: Float) {
        self.from = from
        self.to = to
        self.type = type
        self.weight = weight
    }
}

/// What a relation write did.
package struct RelationWriteResult: Sendable, Equatable {
    /// Relations stored new or with a changed weight.
    package var accepted: Int
    /// Relations already stored with the same weight (an idempotent repeat).
    package var unchanged: Int

    package init(accepted: Int, unchanged: Int) {
        self.accepted = accepted
        self.unchanged = unchanged
    }
}

/// Every stored relation as flat arrays for training: one entry per directed item pair, weights summed over the
/// pair's types, sorted by (from, to). Item indices are the store's (`itemCount` of them when read).
package struct RelationSnapshot: Sendable, Equatable {
    package let itemCount: Int
    package let from: [Int32]
    package let to: [Int32]
    package let weights: [Float]

    package init(itemCount: Int, from: [Int32], to: [Int32], weights: [Float]) {
        precondition(from.count == to.count && to.count == weights.count, "one from, to and weight per pair")
        self.itemCount = itemCount
        self.from = from
        self.to = to
        self.weights = weights
    }

    /// Pairs held.
    package var count: Int { from.count }
}
