import LinearAlgebra
import NeuralLayers

extension MLP {
    /// Trains by Adam on mini-batches. Ranking: each epoch visits every observed (user, item) pair of
    /// `data.interactions` once, in a seeded shuffled order, as a positive (target 1) with `negatives` uniformly
    /// drawn items the user has not interacted with (target 0; a draw that hits one of the user's items is redrawn at
    /// most three times). Rating: each epoch visits every rating of `data.ratings` once (throws `.missingRatings`
    /// without them), and μ is their mean.
    ///
    /// Both cores work on every matrix product (`TiledGEMM`: fixed blocks, so the result does not depend on
    /// `threads`), and the same `seed` gives the same model bit for bit. `cancellation` is checked before each
    /// mini-batch; `observer` sees a copy of the model after each epoch. `explicitTypes` are the event types
    /// `data.ratings` was read from, kept for folding users in from their ratings.
    package static func fit(
        _ data: TrainingData, parameters: MLPParameters = .init(), seed: UInt64,
        explicitTypes: [String] = MLP.defaultExplicitTypes, cancellation: TrainingCancellation? = nil,
        observer: EpochObserver? = nil
    ) throws(ModelError) -> MLP {
        try parameters.validate()
        let matrix: CSRMatrix
        switch parameters.objective {
        case .ranking:
            matrix = data.interactions
            guard matrix.nonzeroCount > 0, matrix.rowCount > 0, matrix.columnCount > 0 else {
                throw .emptyTrainingData(kind: .mlp)
            }
        case .rating:
            guard let ratings = data.ratings, ratings.nonzeroCount > 0 else { throw .missingRatings(kind: .mlp) }
            matrix = ratings
        }
        try cancellation?.check(.mlp)
        BLAS.useSingleThread()
        let (offset, range) = Self.offsetAndRange(matrix, objective: parameters.objective)
        let network = MLPNetwork(
            userCount: matrix.rowCount, itemCount: matrix.columnCount, parameters: parameters, offset: offset, seed: seed)
        let userCounts = (0..<matrix.rowCount).map { Int32(matrix.nonzeroCount(ofRow: $0)) }
        let itemCounts = matrix.columnNonzeroCounts().map { Int32($0) }
        func snapshot() -> MLP {
            network.model(
                objective: parameters.objective, userCounts: userCounts, itemCounts: itemCounts, ratingRange: range,
                explicitTypes: explicitTypes)
        }
        var entryUsers = [Int32](repeating: 0, count: matrix.nonzeroCount)
        for user in 0..<matrix.rowCount {
            for entry in matrix.entryRange(ofRow: user) { entryUsers[entry] = Int32(user) }
        }
        var order = [Int32](0..<Int32(matrix.nonzeroCount))
        var generator = Xoshiro256StarStar(seed: seed, stream: 1)
        for epoch in 1...parameters.epochs {
            for index in stride(from: order.count - 1, to: 0, by: -1) {
                order.swapAt(index, generator.nextIndex(below: index + 1))
            }
            var start = 0
            while start < order.count {
                try cancellation?.check(.mlp)
                network.clearBatch()
                for position in start..<min(order.count, start + parameters.batchSize) {
                    let entry = Int(order[position])
                    let user = entryUsers[entry], item = matrix.columns[entry]
                    switch parameters.objective {
                    case .rating:
                        network.append(user: user, item: item, target: matrix.values[entry])
                    case .ranking:
                        network.append(user: user, item: item, target: 1)
                        for _ in 0..<parameters.negatives {
                            network.append(user: user, item: negative(for: user, in: matrix, &generator), target: 0)
                        }
                    }
                }
                network.step()
                start += parameters.batchSize
            }
            observer?(epoch) { snapshot() }
        }
        let model = snapshot()
        guard model.userEmbeddings.isFinite, model.itemEmbeddings.isFinite, model.layers.allSatisfy(\.weights.isFinite),
              model.userBiases.allSatisfy(\.isFinite), model.itemBiases.allSatisfy(\.isFinite)
        else { throw .nonFiniteFactors(kind: .mlp) }
        return model
    }

    /// A uniformly drawn item, redrawn (at most three times) while `user` has it.
    private static func negative(for user: Int32, in matrix: CSRMatrix, _ generator: inout Xoshiro256StarStar) -> Int32 {
        var item = Int32(generator.nextIndex(below: matrix.columnCount))
        for _ in 0..<3 where matrix.contains(row: Int(user), column: item) {
            item = Int32(generator.nextIndex(below: matrix.columnCount))
        }
        return item
    }

    /// μ and the rating range (rating), or 0 and `0...1` (ranking).
    private static func offsetAndRange(
        _ matrix: CSRMatrix, objective: MLPParameters.Objective
    ) -> (Float, ClosedRange<Float>) {
        guard objective == .rating else { return (0, 0...1) }
        var sum = 0.0
        for value in matrix.values { sum += Double(value) }
        return (Float(sum / Double(matrix.nonzeroCount)), matrix.values.min()!...matrix.values.max()!)
    }
}
