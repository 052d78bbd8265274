import LinearAlgebra
import NeuralLayers

extension SequenceGRU {
    /// Trains by Adam on mini-batches of windows (`SequenceWindow`: every user's items in time order, cut into
    /// windows of at most `window` steps from the latest item back), each step predicting the item that came
    /// next. The loss is the softmax cross-entropy over the batch's next items plus `negatives` items drawn by
    /// popularity^0.75, `log Q` corrected (GRU4Rec's mini-batch negatives with extra samples).
    ///
    /// Each epoch shuffles the windows, orders them by length (ties stay shuffled) so a batch's windows need
    /// little padding, cuts them into batches and shuffles the batches. Both cores work on every matrix product
    /// (`TiledGEMM`: fixed blocks, so the result does not depend on `threads`), and the same `seed` gives the same
    /// model bit for bit. `cancellation` is checked before each mini-batch; `observer` sees a copy of the model
    /// after each epoch.
    package static func fit(
        _ data: TrainingData, parameters: SequenceParameters = .init(), seed: UInt64,
        cancellation: TrainingCancellation? = nil, observer: EpochObserver? = nil
    ) throws(ModelError) -> SequenceGRU {
        try parameters.validate()
        let matrix = data.interactions
        guard matrix.nonzeroCount > 0, matrix.rowCount > 0, matrix.columnCount > 0 else {
            throw .emptyTrainingData(kind: .sequence)
        }
        guard data.lastSeen.count == matrix.nonzeroCount else {
            throw .invalidTrainingData(kind: .sequence, reason: "needs one timestamp per stored pair to order histories")
        }
        let sequences = UserSequences(data)
        var windows = SequenceWindow.windows(of: sequences, window: parameters.window)
        guard !windows.isEmpty else {
            throw .invalidTrainingData(kind: .sequence, reason: "no user has two items to learn a transition from")
        }
        BLAS.useSingleThread()
        var network = SequenceGRUNetwork(
            itemCount: matrix.columnCount, parameters: parameters, counts: matrix.columnNonzeroCounts().map(Float.init),
            seed: seed)
        var generator = Xoshiro256StarStar(seed: seed, stream: 1)
        let batchCount = (windows.count + parameters.batchSize - 1) / parameters.batchSize
        var batches = Array(0..<batchCount)
        for epoch in 1...parameters.epochs {
            shuffle(&windows, &generator)
            windows.sort { $0.length > $1.length }
            shuffle(&batches, &generator)
            for batch in batches {
                try cancellation?.check(.sequence)
                let start = batch * parameters.batchSize
                _ = network.train(on: windows[start..<min(windows.count, start + parameters.batchSize)],
                                  of: sequences.items, generator: &generator)
            }
            observer?(epoch) { network.model(userCount: matrix.rowCount) }
        }
        let model = network.model(userCount: matrix.rowCount)
        guard model.isFinite else { throw .nonFiniteFactors(kind: .sequence) }
        return model
    }

    /// Whether every weight is finite.
    var isFinite: Bool {
        itemFactors.isFinite && cell.inputWeights.isFinite && cell.hiddenWeights.isFinite && projectionWeights.isFinite
            && (cell.inputBias + cell.hiddenBias + projectionBias).allSatisfy(\.isFinite)
    }

    /// Fisher–Yates with the fit's generator.
    private static func shuffle<Element>(_ values: inout [Element], _ generator: inout Xoshiro256StarStar) {
        for index in stride(from: values.count - 1, to: 0, by: -1) {
            values.swapAt(index, generator.nextIndex(below: index + 1))
        }
    }
}
