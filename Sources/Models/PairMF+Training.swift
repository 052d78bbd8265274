import LinearAlgebra

extension PairMF {
    /// Trains by SGD on logistic loss with negative sampling (the product-graph post's baseline, binary labels
    /// weighted by the relation's weight).
    ///
    /// Init: embeddings of items in some pair `(U[0,1) − 0.5) / √factors` from `seed`, others zero; biases zero. Each
    /// epoch draws as many positives as there are pairs, split evenly over `threads` workers, each with its own
    /// generator (stream `t` of `seed`): a uniformly random pair, oriented at random (relations are treated as
    /// symmetric), then `negatives` items for its anchor, each the end of a uniformly random pair (so ∝ how often
    /// the item appears in pairs), skipped when it is the anchor. Workers update the shared embeddings without
    /// locks (Hogwild, as BPR), so only `threads == 1` reproduces bit for bit. `cancellation` is checked before
    /// each epoch; `observer` sees a copy of the model after each epoch.
    package static func fit(
        _ data: TrainingData, parameters: PairMFParameters = .init(), seed: UInt64, cancellation: TrainingCancellation? = nil,
        observer: EpochObserver? = nil
    ) throws(ModelError) -> PairMF {
        try parameters.validate()
        guard let pairs = data.relations, pairs.count > 0 else { throw .missingRelations(kind: .pairmf) }
        let itemCount = max(pairs.itemCount, data.interactions.columnCount)
        guard pairs.first.allSatisfy({ $0 >= 0 && Int($0) < itemCount }), pairs.second.allSatisfy({ $0 >= 0 && Int($0) < itemCount })
        else { throw .invalidTrainingData(kind: .pairmf, reason: "a pair names an item outside 0..<\(itemCount)") }
        let factors = parameters.factors
        var generator = Xoshiro256StarStar(seed: seed)
        var embeddings = DenseMatrix(rowCount: itemCount, columnCount: factors)
        let scale = 1 / Float(factors).squareRoot()
        var paired = [Bool](repeating: false, count: itemCount)
        for item in pairs.first { paired[Int(item)] = true }
        for item in pairs.second { paired[Int(item)] = true }
        for item in 0..<itemCount where paired[item] {
            embeddings.withMutableRow(item) { row in
                for column in row.indices { row[column] = (generator.nextUnitFloat() - 0.5) * scale }
            }
        }
        var biases = [Float](repeating: 0, count: itemCount)
        let userCount = data.interactions.rowCount
        let threads = parameters.threads > 0 ? parameters.threads : processorCount
        var generators = (0..<threads).map { Xoshiro256StarStar(seed: seed, stream: UInt64($0)) }
        let sampler = PairMFSampler(parameters: parameters)
        let count = pairs.count
        embeddings.withUnsafeMutableBufferPointer { rows in
            biases.withUnsafeMutableBufferPointer { biasBuffer in
                pairs.first.withUnsafeBufferPointer { first in
                    pairs.second.withUnsafeBufferPointer { second in
                        pairs.weights.withUnsafeBufferPointer { weights in
                            generators.withUnsafeMutableBufferPointer { streams in
                                for epoch in 0..<parameters.epochs where !(cancellation?.isCancelled ?? false) {
                                    parallelFor(count: threads, chunkSize: 1, maxWorkers: threads) { range, _ in
                                        for thread in range {
                                            sampler.run(
                                                samples: count * (thread + 1) / threads - count * thread / threads,
                                                generator: &streams[thread], embeddings: rows.baseAddress!,
                                                biases: biasBuffer.baseAddress!, first: first, second: second, weights: weights)
                                        }
                                    }
                                    observer?(epoch + 1) {
                                        snapshot(embeddings: rows, biases: biasBuffer, factors: factors, userCount: userCount)
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        try cancellation?.check(.pairmf)
        guard embeddings.isFinite, biases.allSatisfy(\.isFinite) else { throw .nonFiniteFactors(kind: .pairmf) }
        return PairMF(embeddings: embeddings, biases: biases, userCount: userCount)
    }

    /// A model over copies of the embeddings and biases being trained.
    private static func snapshot(
        embeddings: UnsafeMutableBufferPointer<Float>, biases: UnsafeMutableBufferPointer<Float>, factors: Int, userCount: Int
    ) -> PairMF {
        var copy = DenseMatrix(rowCount: biases.count, columnCount: factors)
        copy.storage = Array(embeddings)
        return PairMF(embeddings: copy, biases: Array(biases), userCount: userCount)
    }
}
