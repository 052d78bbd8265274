import LinearAlgebra

/// A seeded generator of item–item relations with planted clusters, for tests and benchmarks of `pairmf` and
/// `recsmith evaluate --task pairs` without an external product graph.
///
/// Items `i0 … i(n−1)` fall in `clusterCount` clusters (item `k` in cluster `k mod clusterCount`). Each item gets
/// `relationsPerItem` relations to distinct other items: with probability `1 − noise` an item of its own cluster,
/// else any item; the type is drawn from `bought_together`, `also_bought`, `also_viewed`. A model that recovers the
/// clusters ranks held-out relations above unrelated items, so AUC well above 0.5 is the expected outcome. The same
/// parameters and seed always give the same relations, in the same order.
package struct SyntheticRelations: Sendable {
    /// One generated relation, by item number.
    package struct Relation: Sendable, Equatable {
        package let from: Int
        package let to: Int
        package let type: String

        /// The relation as a CSV line `i<from>,i<to>,<type>`, newline included.
        package var csvLine: String { "i\(from),i\(to),\(type)\n" }
    }

    package static let types = ["bought_together", "also_bought", "also_viewed"]

    package var itemCount: Int
    package var clusterCount: Int
    package var relationsPerItem: Int
    package var noise: Double
    package var seed: UInt64

    package init(itemCount: Int, clusterCount: Int = 10, relationsPerItem: Int = 5, noise: Double = 0.1, seed: UInt64 = 1) {
        precondition(itemCount >= 2 && clusterCount >= 1 && relationsPerItem >= 0 && (0...1).contains(noise))
        precondition(itemCount / clusterCount > relationsPerItem, "each cluster needs more items than relations per item")
        self.itemCount = itemCount
        self.clusterCount = clusterCount
        self.relationsPerItem = relationsPerItem
        self.noise = noise
        self.seed = seed
    }

    /// The cluster of item `item`.
    package func cluster(of item: Int) -> Int { item % clusterCount }

    /// Every relation, item by item.
    package func generate() -> [Relation] {
        var generator = Xoshiro256StarStar(seed: seed)
        var relations: [Relation] = []
        relations.reserveCapacity(itemCount * relationsPerItem)
        let clusterSize = (itemCount + clusterCount - 1) / clusterCount
        for from in 0..<itemCount {
            var chosen = Set<Int>()
            while chosen.count < relationsPerItem {
                let to: Int
                if Double(generator.nextUnitFloat()) < noise {
                    to = generator.nextIndex(below: itemCount)
                } else {
                    to = cluster(of: from) + clusterCount * generator.nextIndex(below: clusterSize)
                }
                guard to < itemCount, to != from, chosen.insert(to).inserted else { continue }
                relations.append(Relation(from: from, to: to, type: Self.types[generator.nextIndex(below: Self.types.count)]))
            }
        }
        return relations
    }
}
