import LinearAlgebra

/// Bayesian personalised ranking matrix factorisation (Rendle et al. 2009) with implicit's sampling.
///
/// Factor rows carry one extra column: users hold a constant 1 there and items their bias, so
/// score(u, i) = x_u · y_i over `factors + 1` columns includes the item bias. Users the model never saw
/// cannot be scored (BPR has no fold-in); `score` returns false for them.
package struct BPR: Recommender {
    /// Always `.bpr`.
    package var kind: ModelKind { .bpr }
    /// users × (factors + 1); the last column is 1.
    package let userFactors: DenseMatrix
    /// items × (factors + 1); the last column is the item bias.
    package let itemFactors: DenseMatrix
    /// L2 norm of every item's first `factors` columns (bias excluded), for `similarItems`.
    let itemNorms: [Float]

    /// Users in the training data.
    package var userCount: Int { userFactors.rowCount }
    /// Items in the training data.
    package var itemCount: Int { itemFactors.rowCount }
    /// Latent dimension, not counting the bias column.
    package var factors: Int { itemFactors.columnCount - 1 }

    /// A model over trained factors (both with `factors + 1` columns).
    package init(userFactors: DenseMatrix, itemFactors: DenseMatrix) {
        precondition(userFactors.columnCount == itemFactors.columnCount, "user and item factors must match")
        precondition(itemFactors.columnCount >= 2, "factors plus the bias column")
        self.userFactors = userFactors
        self.itemFactors = itemFactors
        BLAS.useSingleThread()
        itemNorms = FactorScoring.rowNorms(itemFactors, dimensions: itemFactors.columnCount - 1)
    }

    /// `x_u · y_i` (bias included) for a known user; false for an unknown one.
    package func score(_ query: UserQuery, into scores: UnsafeMutableBufferPointer<Float>) -> Bool {
        precondition(scores.count == itemCount, "score buffer must hold itemCount values")
        guard let user = query.user, user >= 0, Int(user) < userCount else {
            scores.update(repeating: -.infinity)
            return false
        }
        userFactors.withRow(Int(user)) { vector in
            FactorScoring.score(vector: vector.baseAddress!, items: itemFactors, into: scores)
        }
        return true
    }

    /// One sgemm for the whole block of queries.
    package func score(
        _ queries: ArraySlice<UserQuery>, into scores: UnsafeMutableBufferPointer<Float>,
        answered: UnsafeMutableBufferPointer<Bool>
    ) {
        FactorScoring.scoreBlock(queries, items: itemFactors, into: scores, answered: answered) { query, row in
            guard let user = query.user, user >= 0, Int(user) < userCount else { return false }
            userFactors.withRow(Int(user)) { _ = row.update(fromContentsOf: $0) }
            return true
        }
    }

    /// Items by cosine of their factors (bias excluded), best first, never `item` itself.
    package func similarItems(to item: Int32, count: Int, allowed: BitSet?) -> [ScoredItem]? {
        FactorScoring.similarItems(
            to: item, count: count, items: itemFactors, dimensions: factors, norms: itemNorms, allowed: allowed)
    }
}
