/// A directed, typed relation between two items (`from` → `to`), with the weight it gives the pair: the
/// relation's own `weight`, or its type's weight from ``RelationTypeWeights``. A store holds at most one relation
/// per (`from`, `to`, `type`).
package struct Relation: Sendable, Hashable {
    package var from: String
    package var to: String
    package var type: String
    package var weight: Float

    package init(from: String, to: String, type: String, weight: Float) {
        self.from = from
        self.to = to
        self.type = type
        self.weight = weight
    }
}
