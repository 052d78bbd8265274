import LinearAlgebra

/// Non-personalised popularity: every user gets the same item scores.
///
/// score(i) = Σ over users of the interaction value (or, with `PopularParameters.binary`, the number of users
/// with a stored pair for i). Ties rank by smaller item index (byte order of ids, see docs/EVALUATION.md §2).
package struct Popular: Recommender {
    /// Always `.popular`.
    package var kind: ModelKind { .popular }
    /// Users in the training data.
    package let userCount: Int
    /// Items in the training data.
    package var itemCount: Int { itemScores.count }
    /// The score of every item.
    package let itemScores: [Float]

    /// A model with precomputed scores.
    package init(userCount: Int, itemScores: [Float]) {
        self.userCount = userCount
        self.itemScores = itemScores
    }

    /// Counts (or sums) the interactions of every item.
    package static func fit(_ data: TrainingData, parameters: PopularParameters = .init()) -> Popular {
        let matrix = data.interactions
        var sums = [Double](repeating: 0, count: matrix.columnCount)
        for entry in 0..<matrix.nonzeroCount {
            sums[Int(matrix.columns[entry])] += parameters.binary ? 1 : Double(matrix.values[entry])
        }
        return Popular(userCount: matrix.rowCount, itemScores: sums.map { Float($0) })
    }

    /// Writes the item scores; answers every query.
    package func score(_ query: UserQuery, into scores: UnsafeMutableBufferPointer<Float>) -> Bool {
        precondition(scores.count == itemCount, "score buffer must hold itemCount values")
        _ = scores.update(fromContentsOf: itemScores)
        return true
    }

    /// Popularity has no notion of item similarity.
    package func similarItems(to item: Int32, count: Int, allowed: BitSet?) -> [ScoredItem]? {
        nil
    }
}
