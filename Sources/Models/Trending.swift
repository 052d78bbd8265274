import LinearAlgebra

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Non-personalised, time-decayed popularity.
///
/// The ranking is by Σ over the item's stored pairs of `2^(−(t_ref − t) / h)`, with `t` the pair's latest time,
/// `t_ref` the newest time in the data (or `TrendingParameters.referenceTime`) and `h` the half-life.
/// The stored score is `log2` of that sum, taken in float64: the same order, but old items keep their order
/// instead of all underflowing to 0 in float32 (2⁻¹⁴⁹ is only ~3 years of 7-day half-lives). Items with no
/// pairs score −∞ and are never ranked. Ties rank by smaller item index.
package struct Trending: Recommender {
    /// Always `.trending`.
    package var kind: ModelKind { .trending }
    /// Users in the training data.
    package let userCount: Int
    /// Items in the training data.
    package var itemCount: Int { itemScores.count }
    /// The score of every item.
    package let itemScores: [Float]
    /// `t_ref` used in training (unix seconds).
    package let referenceTime: Double
    /// `h` used in training (seconds).
    package let halfLifeSeconds: Double

    /// A model with precomputed scores.
    package init(userCount: Int, itemScores: [Float], referenceTime: Double, halfLifeSeconds: Double) {
        self.userCount = userCount
        self.itemScores = itemScores
        self.referenceTime = referenceTime
        self.halfLifeSeconds = halfLifeSeconds
    }

    /// Sums the decayed contribution of every stored pair per item.
    package static func fit(_ data: TrainingData, parameters: TrendingParameters = .init()) throws(ModelError) -> Trending {
        try parameters.validate()
        let matrix = data.interactions
        let times = data.lastSeen
        guard times.allSatisfy(\.isFinite) else {
            throw .invalidTrainingData(kind: .trending, reason: "lastSeen holds a non-finite timestamp")
        }
        let reference = parameters.referenceTime ?? times.max() ?? 0
        // Each item's sum is scaled by 2^-newest (its largest term) so no term underflows: log2(sum) =
        // newest + log2(Σ 2^(term − newest)), with every term ≤ 0 in exponent units of half-lives.
        var newest = [Double](repeating: -.infinity, count: matrix.columnCount)
        for entry in 0..<matrix.nonzeroCount {
            let item = Int(matrix.columns[entry])
            newest[item] = max(newest[item], -(reference - times[entry]) / parameters.halfLifeSeconds)
        }
        var scaledSums = [Double](repeating: 0, count: matrix.columnCount)
        for entry in 0..<matrix.nonzeroCount {
            let item = Int(matrix.columns[entry])
            scaledSums[item] += exp2(-(reference - times[entry]) / parameters.halfLifeSeconds - newest[item])
        }
        let scores = (0..<matrix.columnCount).map { item in
            newest[item] == -.infinity ? -Float.infinity : Float(newest[item] + log2(scaledSums[item]))
        }
        return Trending(
            userCount: matrix.rowCount, itemScores: scores, referenceTime: reference,
            halfLifeSeconds: parameters.halfLifeSeconds)
    }

    /// Writes the item scores; answers every query.
    package func score(_ query: UserQuery, into scores: UnsafeMutableBufferPointer<Float>) -> Bool {
        precondition(scores.count == itemCount, "score buffer must hold itemCount values")
        _ = scores.update(fromContentsOf: itemScores)
        return true
    }

    /// Trending has no notion of item similarity.
    package func similarItems(to item: Int32, count: Int, allowed: BitSet?) -> [ScoredItem]? {
        nil
    }
}
