import LinearAlgebra

extension MF {
    /// Fits `data.ratings` (the latest explicit rating per pair; `data.interactions` is not read) with the
    /// configured solver. μ is the mean rating; biases start at 0 and factors from N(0, `initStd`²) drawn from
    /// `seed` (users, then items). Throws `.missingRatings` without ratings. `cancellation` is checked and
    /// `observer` called after every SGD epoch or ALS sweep.
    package static func fit(
        _ data: TrainingData, parameters: MFParameters = .init(), seed: UInt64, cancellation: TrainingCancellation? = nil,
        observer: EpochObserver? = nil
    ) throws(ModelError) -> MF {
        try parameters.validate()
        guard let ratings = data.ratings, ratings.nonzeroCount > 0 else { throw .missingRatings(kind: .mf) }
        try cancellation?.check(.mf)
        var state = MFState(ratings: ratings, parameters: parameters, seed: seed)
        switch parameters.solver {
        case .sgd:
            try state.fitSGD(ratings, parameters: parameters, seed: seed, cancellation: cancellation, observer: observer)
        case .als:
            try state.fitALS(ratings, parameters: parameters, cancellation: cancellation, observer: observer)
        }
        let model = state.model(parameters: parameters)
        guard model.userFactors.isFinite, model.itemFactors.isFinite, model.globalMean.isFinite,
              model.userBiases.allSatisfy(\.isFinite), model.itemBiases.allSatisfy(\.isFinite)
        else { throw .nonFiniteFactors(kind: .mf) }
        return model
    }

    /// The mean over `ratings` of the SGD objective per rating, `(r − r̂)² + λ(b_u² + b_i² + ‖p_u‖² + ‖q_i‖²)`
    /// with the unclipped r̂, in float64; `ratings` must have the model's users and items.
    package func loss(on ratings: CSRMatrix, regularization: Float) -> Double {
        precondition(ratings.rowCount <= userCount && ratings.columnCount <= itemCount, "ratings must fit the model")
        var total = 0.0
        for user in 0..<ratings.rowCount {
            let vector = [userBiases[user]] + userFactors.withRow(user) { Array($0) }
            let userNorm = Double(vector.reduce(0) { $0 + $1 * $1 })
            for entry in ratings.entryRange(ofRow: user) {
                let item = Int(ratings.columns[entry])
                let dot = factors == 0 ? 0 : vector.withUnsafeBufferPointer { p in
                    itemFactors.withRow(item) { VectorKernels.dot(p.baseAddress! + 1, $0.baseAddress!, count: factors) }
                }
                let error = Double(ratings.values[entry] - (globalMean + vector[0] + itemBiases[item] + dot))
                let itemNorm = Double(itemBiases[item] * itemBiases[item])
                    + Double(itemFactors.withRow(item) { VectorKernels.squaredNorm($0.baseAddress!, count: factors) })
                total += error * error + Double(regularization) * (userNorm + itemNorm)
            }
        }
        return total / Double(max(1, ratings.nonzeroCount))
    }
}

/// The parameters of an `MF` fit in progress.
struct MFState {
    let globalMean: Float
    var userBiases: [Float]
    var itemBiases: [Float]
    var userFactors: DenseMatrix
    var itemFactors: DenseMatrix
    let userCounts: [Int32]
    let itemCounts: [Int32]
    let ratingRange: ClosedRange<Float>

    /// Zero biases, Gaussian factors from `seed`, μ and the counts of `ratings`.
    init(ratings: CSRMatrix, parameters: MFParameters, seed: UInt64) {
        var sum = 0.0
        for value in ratings.values { sum += Double(value) }
        globalMean = Float(sum / Double(ratings.nonzeroCount))
        ratingRange = ratings.values.min()!...ratings.values.max()!
        userBiases = [Float](repeating: 0, count: ratings.rowCount)
        itemBiases = [Float](repeating: 0, count: ratings.columnCount)
        var generator = Xoshiro256StarStar(seed: seed)
        userFactors = Self.gaussian(rows: ratings.rowCount, columns: parameters.factors, std: parameters.initStd, &generator)
        itemFactors = Self.gaussian(rows: ratings.columnCount, columns: parameters.factors, std: parameters.initStd, &generator)
        userCounts = (0..<ratings.rowCount).map { Int32(ratings.nonzeroCount(ofRow: $0)) }
        itemCounts = ratings.columnNonzeroCounts().map { Int32($0) }
    }

    /// The model as it stands: rows of users and items without ratings are zeroed (never trained, never used).
    func model(parameters: MFParameters) -> MF {
        var users = userFactors, items = itemFactors
        for user in 0..<users.rowCount where userCounts[user] == 0 { users.withMutableRow(user) { $0.update(repeating: 0) } }
        for item in 0..<items.rowCount where itemCounts[item] == 0 { items.withMutableRow(item) { $0.update(repeating: 0) } }
        return MF(
            globalMean: globalMean, userBiases: userBiases, itemBiases: itemBiases, userFactors: users, itemFactors: items,
            userRatingCounts: userCounts, itemRatingCounts: itemCounts, ratingRange: ratingRange,
            foldInRegularization: parameters.alsRegularization, explicitTypes: parameters.explicitTypes)
    }

    private static func gaussian(rows: Int, columns: Int, std: Float, _ generator: inout Xoshiro256StarStar) -> DenseMatrix {
        var matrix = DenseMatrix(rowCount: rows, columnCount: columns)
        for index in matrix.storage.indices { matrix.storage[index] = std * generator.nextGaussian() }
        return matrix
    }
}
