import LinearAlgebra

/// A model whose score of an item is one inner product: the query's vector (`userVector`) with the item's row of
/// `itemFactors` — ALS, BPR (its rows end with the item bias, its vectors with 1) and SVD. Scoring is shared here,
/// and a nearest-neighbour index over `itemFactors` can answer such a model without scoring every item.
package protocol InnerProductScoring: Recommender {
    /// One row per item; a query's scores are these rows times its vector.
    var itemFactors: DenseMatrix { get }
    /// Writes the vector that scores `query` (`itemFactors.columnCount` values); false when the model cannot
    /// answer it.
    func userVector(for query: UserQuery, into vector: UnsafeMutableBufferPointer<Float>) -> Bool
}

extension InnerProductScoring {
    /// Every item's inner product with the query's vector (one sgemv).
    package func score(_ query: UserQuery, into scores: UnsafeMutableBufferPointer<Float>) -> Bool {
        precondition(scores.count == itemCount, "score buffer must hold itemCount values")
        return withUnsafeTemporaryAllocation(of: Float.self, capacity: max(1, itemFactors.columnCount)) { vector in
            guard userVector(for: query, into: vector) else {
                scores.update(repeating: -.infinity)
                return false
            }
            FactorScoring.score(vector: vector.baseAddress!, items: itemFactors, into: scores)
            return true
        }
    }

    /// One sgemm for the whole block of queries.
    package func score(
        _ queries: ArraySlice<UserQuery>, into scores: UnsafeMutableBufferPointer<Float>,
        answered: UnsafeMutableBufferPointer<Bool>
    ) {
        FactorScoring.scoreBlock(queries, items: itemFactors, into: scores, answered: answered) { query, row in
            userVector(for: query, into: row)
        }
    }
}
