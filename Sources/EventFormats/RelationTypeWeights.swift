/// The weight each relation type gives an item pair when a relation states no `weight` of its own, and the set of
/// types a relation may name (a type not listed is refused).
package struct RelationTypeWeights: Sendable, Hashable {
    /// Weight per type name.
    package var weights: [String: Float]

    /// Creates a table of type weights.
    package init(weights: [String: Float]) {
        self.weights = weights
    }

    /// The product-graph post's weights: `bought_together` 1.2, `also_bought` 1.0, `also_viewed` 0.5.
    package static let standard = RelationTypeWeights(weights: [
        "bought_together": 1.2,
        "also_bought": 1.0,
        "also_viewed": 0.5,
    ])

    /// The weight of `type`, or nil when the type is not configured.
    package func weight(of type: String) -> Float? {
        weights[type]
    }

    /// The configured type names, sorted, for messages.
    package var typeNames: [String] { weights.keys.sorted() }
}
