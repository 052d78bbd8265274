import LinearAlgebra
import NeuralLayers

extension Autoencoder {
    /// Trains by Adam on mini-batches of users, each epoch over every user with interactions in a seeded shuffled
    /// order. A user's input is their binary row, L2-normalised, with `dropout` of its items dropped (the kept ones
    /// scaled by 1/(1 − dropout)); the target is the whole row, and the loss the multinomial NLL of the softmax
    /// over every item (catalogues up to `fullSoftmaxItems`) or over the batch's items plus `negatives` sampled ones.
    ///
    /// Both cores work on every matrix product (`TiledGEMM`: fixed blocks, so the result does not depend on
    /// `threads`), and the same `seed` gives the same model bit for bit. `cancellation` is checked before each
    /// mini-batch; `observer` sees a copy of the model after each epoch.
    package static func fit(
        _ data: TrainingData, parameters: AutoencoderParameters = .init(), seed: UInt64,
        cancellation: TrainingCancellation? = nil, observer: EpochObserver? = nil
    ) throws(ModelError) -> Autoencoder {
        try parameters.validate()
        let matrix = data.interactions
        guard matrix.nonzeroCount > 0, matrix.rowCount > 0, matrix.columnCount > 0 else {
            throw .emptyTrainingData(kind: .autoencoder)
        }
        BLAS.useSingleThread()
        var network = AutoencoderNetwork(itemCount: matrix.columnCount, parameters: parameters, counts: itemCounts(matrix),
                                         seed: seed)
        var users = (0..<matrix.rowCount).filter { matrix.nonzeroCount(ofRow: $0) > 0 }
        var generator = Xoshiro256StarStar(seed: seed, stream: 1)
        for epoch in 1...parameters.epochs {
            shuffle(&users, &generator)
            var start = 0
            while start < users.count {
                try cancellation?.check(.autoencoder)
                let batch = users[start..<min(users.count, start + parameters.batchSize)]
                network.train(on: batch, of: matrix, generator: &generator)
                start += parameters.batchSize
            }
            observer?(epoch) { network.model(userCount: matrix.rowCount) }
        }
        let model = network.model(userCount: matrix.rowCount)
        guard model.itemFactors.isFinite, model.inputWeights.isFinite else { throw .nonFiniteFactors(kind: .autoencoder) }
        return model
    }

    /// Users per item, for the popularity sampler.
    private static func itemCounts(_ matrix: CSRMatrix) -> [Float] {
        matrix.columnNonzeroCounts().map(Float.init)
    }

    /// Fisher–Yates with the fit's generator.
    private static func shuffle(_ values: inout [Int], _ generator: inout Xoshiro256StarStar) {
        for index in stride(from: values.count - 1, to: 0, by: -1) {
            values.swapAt(index, generator.nextIndex(below: index + 1))
        }
    }
}
