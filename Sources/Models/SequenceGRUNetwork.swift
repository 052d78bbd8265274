import LinearAlgebra
import NeuralLayers

/// `SequenceGRU` while it trains: tied item embeddings, the GRU, the output projection, the optimiser and every
/// workspace, allocated once for the largest mini-batch (`batchSize` windows of `window` steps) and reused.
///
/// A mini-batch of B windows runs T = the longest window's steps, time-major (row `t · B + b` is step t of window
/// b). Shorter windows are padded at the end: their padded steps read a zero input and run on, but their outputs
/// are left out of the loss, and since they come after the window's last real step nothing flows back from them
/// into a real step — the gradients are those of the windows run one by one, without a mask in the cell.
struct SequenceGRUNetwork {
    let parameters: SequenceParameters
    let itemCount: Int
    /// Item embeddings E (items × hidden), read as the GRU's inputs and, tied, as the output layer's rows.
    let embeddings: EmbeddingTable
    let gru: GRUCell
    /// hidden → hidden, from the GRU's bounded state to the space of the item rows.
    let projection: DenseLayer
    /// Logits `projected · E_j + b_j` over the batch's next items and sampled negatives.
    let output: SoftmaxOutputLayer
    let sampler: CandidateSampler
    var optimiser: Adam
    /// The steps' inputs (rows of E) and their gradient, (window · batchSize) × hidden, time-major.
    let inputs: Tensor, inputGradients: Tensor
    /// ∂loss/∂h_t for every step, padded ones zero, time-major.
    let stateGradients: Tensor
    /// The GRU's outputs of the real steps, packed, their projections, and the gradients of both.
    let packed: Tensor, projected: Tensor, projectedGradient: Tensor, packedGradient: Tensor
    /// One entry per step (none for a padded one): the item it reads.
    var lookups = SparseRows()
    /// One row per real step, in packed order: the item that followed.
    var targets = SparseRows()
    /// Time-major row of each packed step.
    var realRows: [Int] = []
    let workers: Int

    init(itemCount: Int, parameters: SequenceParameters, counts: [Float], seed: UInt64) {
        self.parameters = parameters
        self.itemCount = itemCount
        var generator = Xoshiro256StarStar(seed: seed)
        let hidden = parameters.hidden, rows = parameters.batchSize * parameters.window
        embeddings = EmbeddingTable(rows: itemCount, width: hidden, fanIn: hidden, generator: &generator)
        gru = GRUCell(inputs: hidden, hidden: hidden, maxSteps: parameters.window, maxBatch: parameters.batchSize,
                      generator: &generator)
        projection = DenseLayer(inputs: hidden, outputs: hidden, generator: &generator)
        output = SoftmaxOutputLayer(tiedTo: embeddings, maxBatch: rows, maxCandidates: rows + parameters.negatives)
        sampler = CandidateSampler(itemCount: itemCount, negatives: parameters.negatives, distribution: .popularity,
                                   counts: counts)
        optimiser = Adam(learningRate: parameters.learningRate)
        inputs = Tensor(rows: rows, columns: hidden)
        inputGradients = Tensor(rows: rows, columns: hidden)
        stateGradients = Tensor(rows: rows, columns: hidden)
        packed = Tensor(rows: rows, columns: hidden)
        projected = Tensor(rows: rows, columns: hidden)
        projectedGradient = Tensor(rows: rows, columns: hidden)
        packedGradient = Tensor(rows: rows, columns: hidden)
        realRows.reserveCapacity(rows)
        workers = parameters.threads
    }

    /// Every trainable parameter, each once (E through the output layer).
    var allParameters: [Parameter] { output.parameters + gru.parameters + projection.parameters }

    /// One Adam step on `batch`; returns the batch's mean loss.
    mutating func train(
        on batch: ArraySlice<SequenceWindow>, of items: [Int32], generator: inout Xoshiro256StarStar
    ) -> Double {
        let loss = accumulateGradients(batch, of: items, generator: &generator)
        optimiser.step(allParameters, maxWorkers: workers)
        return loss
    }

    /// Forward and backward over `batch`: adds the mean loss's gradients to the parameters and returns that loss.
    mutating func accumulateGradients(
        _ batch: ArraySlice<SequenceWindow>, of items: [Int32], generator: inout Xoshiro256StarStar
    ) -> Double {
        let width = batch.count, hidden = parameters.hidden
        let steps = batch.reduce(0) { max($0, $1.length) }
        lookups.removeAll()
        targets.removeAll()
        realRows.removeAll(keepingCapacity: true)
        for step in 0..<steps {
            for (column, window) in batch.enumerated() {
                if step < window.length {
                    lookups.append(column: items[window.start + step], value: 1)
                    targets.append(column: items[window.start + step + 1], value: 1)
                    targets.endRow()
                    realRows.append(step * width + column)
                }
                lookups.endRow()
            }
        }
        let real = realRows.count
        embeddings.bag(lookups, into: inputs.base, maxWorkers: workers)
        gru.forward(inputs.base, steps: steps, batch: width, maxWorkers: workers)
        let states = gru.outputs(batch: width)
        for (index, row) in realRows.enumerated() {
            packed.row(index).update(from: states + row * hidden, count: hidden)
        }
        projection.forward(packed.base, batch: real, into: projected.base, maxWorkers: workers)
        sampler.prepare(&targets, generator: &generator)
        let loss = output.lossAndGradient(
            hidden: projected.base, batch: real, targets: targets, sampler: sampler, scale: 1 / Float(real),
            hiddenGradient: projectedGradient.base, maxWorkers: workers)
        sampler.reset()
        projection.backward(input: packed.base, outputGradient: projectedGradient.base, batch: real,
                            inputGradient: packedGradient.base, maxWorkers: workers)
        stateGradients.base.update(repeating: 0, count: steps * width * hidden)
        for (index, row) in realRows.enumerated() {
            (stateGradients.base + row * hidden).update(from: packedGradient.row(index), count: hidden)
        }
        gru.backward(inputs.base, steps: steps, batch: width, outputGradients: stateGradients.base,
                     inputGradients: inputGradients.base, maxWorkers: workers)
        embeddings.bagBackward(lookups, outputGradient: inputGradients.base)
        return loss
    }

    /// The model as it stands: copies of the layers.
    func model(userCount: Int) -> SequenceGRU {
        let hidden = parameters.hidden
        var items = DenseMatrix(rowCount: itemCount, columnCount: hidden + 1)
        let table = embeddings.table.value, biases = output.biases.table.value
        items.withUnsafeMutableBufferPointer { rows in
            for item in 0..<itemCount {
                (rows.baseAddress! + item * (hidden + 1)).update(from: table.row(item), count: hidden)
                rows[item * (hidden + 1) + hidden] = biases[item, 0]
            }
        }
        return SequenceGRU(
            userCount: userCount, window: parameters.window, itemFactors: items,
            cell: GRUWeights(gru),
            projectionWeights: projection.weights.value.matrix(), projectionBias: Array(projection.bias.value.buffer))
    }
}
