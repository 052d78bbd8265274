/// A sparse vector over term ids, terms strictly ascending: an item's unit vector or a user's profile.
struct ContentVector: Sendable, Equatable {
    /// Term ids, strictly ascending.
    var terms: [Int32] = []
    /// The weight of each term, parallel to `terms`.
    var weights: [Float] = []

    /// True for the vector of an item without a document.
    var isEmpty: Bool { terms.isEmpty }

    /// The dot product with `other` (a merge of the two sorted term lists).
    func dot(_ other: ContentVector) -> Float {
        var sum: Float = 0
        var mine = 0, theirs = 0
        while mine < terms.count, theirs < other.terms.count {
            let term = terms[mine], otherTerm = other.terms[theirs]
            if term == otherTerm {
                sum += weights[mine] * other.weights[theirs]
                mine += 1
                theirs += 1
            } else if term < otherTerm {
                mine += 1
            } else {
                theirs += 1
            }
        }
        return sum
    }

    /// The L2 norm.
    var norm: Float {
        var sum: Double = 0
        for weight in weights { sum += Double(weight) * Double(weight) }
        return Float(sum.squareRoot())
    }
}
