import LinearAlgebra

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Non-personalised, time-decayed popularity.
///
/// score(i) = Σ over the item's stored pairs of `2^(−(t_ref − t) / h)`, with `t` the pair's latest time,
/// `t_ref` the newest time in the data (or `TrendingParameters.referenceTime`) and `h` the half-life.
/// Sums are taken in float64 and stored as float32. Ties rank by smaller item index.
public struct Trending: Recommender {
    /// Always `.trending`.
    public var kind: ModelKind { .trending }
    /// Users in the training data.
    public let userCount: Int
    /// Items in the training data.
    public var itemCount: Int { itemScores.count }
    /// The score of every item.
    public let itemScores: [Float]
    /// `t_ref` used in training (unix seconds).
    public let referenceTime: Double
    /// `h` used in training (seconds).
    public let halfLifeSeconds: Double

    /// A model with precomputed scores.
    public init(userCount: Int, itemScores: [Float], referenceTime: Double, halfLifeSeconds: Double) {
        self.userCount = userCount
        self.itemScores = itemScores
        self.referenceTime = referenceTime
        self.halfLifeSeconds = halfLifeSeconds
    }

    /// Sums the decayed contribution of every stored pair per item.
    public static func fit(_ data: TrainingData, parameters: TrendingParameters = .init()) throws(ModelError) -> Trending {
        try parameters.validate()
        let matrix = data.interactions
        let times = data.lastSeen
        guard times.allSatisfy(\.isFinite) else {
            throw .invalidTrainingData(kind: .trending, reason: "lastSeen holds a non-finite timestamp")
        }
        let reference = parameters.referenceTime ?? times.max() ?? 0
        var sums = [Double](repeating: 0, count: matrix.columnCount)
        for entry in 0..<matrix.nonzeroCount {
            sums[Int(matrix.columns[entry])] += exp2(-(reference - times[entry]) / parameters.halfLifeSeconds)
        }
        return Trending(
            userCount: matrix.rowCount, itemScores: sums.map { Float($0) }, referenceTime: reference,
            halfLifeSeconds: parameters.halfLifeSeconds)
    }

    /// Writes the item scores; answers every query.
    public func score(_ query: UserQuery, into scores: UnsafeMutableBufferPointer<Float>) -> Bool {
        precondition(scores.count == itemCount, "score buffer must hold itemCount values")
        _ = scores.update(fromContentsOf: itemScores)
        return true
    }

    /// Trending has no notion of item similarity.
    public func similarItems(to item: Int32, count: Int) -> [ScoredItem]? {
        nil
    }
}
