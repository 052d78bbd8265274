import LinearAlgebra
import NeuralLayers

/// The autoencoder while it trains: its layers, optimiser and every workspace, allocated once for the largest
/// mini-batch and reused, so a batch allocates nothing once the sparse buffers have grown.
struct AutoencoderNetwork {
    let parameters: AutoencoderParameters
    let itemCount: Int
    /// Items × hidden, read as a weighted bag of the user's items.
    let input: EmbeddingTable
    /// The first layer's biases.
    let inputBias: Parameter
    /// The optional second tanh layer.
    let second: DenseLayer?
    /// The softmax over items.
    let output: SoftmaxOutputLayer
    /// Negative sampling when the catalogue is above `fullSoftmaxItems`.
    let sampler: CandidateSampler?
    var optimiser: Adam
    /// Activations of the first and second layers and their gradients, batch × width.
    let first: Tensor, firstGradient: Tensor
    let secondActivations: Tensor?, secondGradient: Tensor?
    var inputs = SparseRows(), targets = SparseRows()
    let workers: Int

    init(itemCount: Int, parameters: AutoencoderParameters, counts: [Float], seed: UInt64) {
        self.parameters = parameters
        self.itemCount = itemCount
        var generator = Xoshiro256StarStar(seed: seed)
        let batch = parameters.batchSize, hidden = parameters.hidden
        input = EmbeddingTable(rows: itemCount, width: hidden, fanIn: itemCount, generator: &generator)
        inputBias = Parameter(rows: 1, columns: hidden, decays: false)
        let codeWidth = parameters.secondHidden > 0 ? parameters.secondHidden : hidden
        second = parameters.secondHidden > 0
            ? DenseLayer(inputs: hidden, outputs: parameters.secondHidden, generator: &generator) : nil
        let full = parameters.usesFullSoftmax(itemCount: itemCount)
        output = SoftmaxOutputLayer(
            itemCount: itemCount, width: codeWidth, maxBatch: batch, maxCandidates: full ? nil : itemCount,
            generator: &generator)
        sampler = full ? nil : CandidateSampler(
            itemCount: itemCount, negatives: parameters.negatives, distribution: parameters.sampling, counts: counts)
        optimiser = Adam(learningRate: parameters.learningRate, weightDecay: parameters.weightDecay)
        first = Tensor(rows: batch, columns: hidden)
        firstGradient = Tensor(rows: batch, columns: hidden)
        secondActivations = second.map { _ in Tensor(rows: batch, columns: codeWidth) }
        secondGradient = second.map { _ in Tensor(rows: batch, columns: codeWidth) }
        workers = parameters.threads
    }

    /// Every trainable parameter.
    var allParameters: [Parameter] {
        [input.table, inputBias] + (second?.parameters ?? []) + output.parameters
    }

    /// One Adam step on the users `batch` (rows of `matrix`).
    mutating func train(on batch: ArraySlice<Int>, of matrix: CSRMatrix, generator: inout Xoshiro256StarStar) {
        let rows = batch.count, keep = 1 - parameters.dropout
        inputs.removeAll()
        targets.removeAll()
        for user in batch {
            let range = matrix.entryRange(ofRow: user)
            let value = 1 / (Float(range.count).squareRoot() * keep)
            for entry in range {
                let item = matrix.columns[entry]
                targets.append(column: item, value: 1)
                if parameters.dropout == 0 || generator.nextUnitFloat() < keep { inputs.append(column: item, value: value) }
            }
            inputs.endRow()
            targets.endRow()
        }
        let hidden = parameters.hidden
        input.bag(inputs, into: first.base, maxWorkers: workers)
        for row in 0..<rows {
            VectorKernels.axpy(1, inputBias.value.base, first.row(row), count: hidden)
        }
        Activation.tanh.apply(first.base, count: rows * hidden, maxWorkers: workers)
        var code = first, codeGradient = firstGradient
        if let second, let activations = secondActivations, let gradient = secondGradient {
            second.forward(first.base, batch: rows, into: activations.base, maxWorkers: workers)
            Activation.tanh.apply(activations.base, count: rows * second.outputWidth, maxWorkers: workers)
            code = activations
            codeGradient = gradient
        }
        sampler?.prepare(&targets, generator: &generator)
        _ = output.lossAndGradient(
            hidden: code.base, batch: rows, targets: targets, sampler: sampler, scale: 1 / Float(rows),
            hiddenGradient: codeGradient.base, maxWorkers: workers)
        sampler?.reset()
        Activation.tanh.backpropagate(
            outputs: code.base, gradient: codeGradient.base, count: rows * code.columns, maxWorkers: workers)
        if let second {
            second.backward(input: first.base, outputGradient: codeGradient.base, batch: rows,
                            inputGradient: firstGradient.base, maxWorkers: workers)
            Activation.tanh.backpropagate(
                outputs: first.base, gradient: firstGradient.base, count: rows * hidden, maxWorkers: workers)
        }
        ColumnSums.add(firstGradient.base, rows: rows, columns: hidden, into: inputBias.gradient.base, maxWorkers: workers)
        input.bagBackward(inputs, outputGradient: firstGradient.base)
        optimiser.step(allParameters, maxWorkers: workers)
    }

    /// The model as it stands: copies of the layers.
    func model(userCount: Int) -> Autoencoder {
        let codeWidth = output.items.width
        var items = DenseMatrix(rowCount: itemCount, columnCount: codeWidth + 1)
        let table = output.items.table.value, biases = output.biases.table.value
        items.withUnsafeMutableBufferPointer { rows in
            for item in 0..<itemCount {
                (rows.baseAddress! + item * (codeWidth + 1)).update(from: table.row(item), count: codeWidth)
                rows[item * (codeWidth + 1) + codeWidth] = biases[item, 0]
            }
        }
        return Autoencoder(
            userCount: userCount, inputWeights: input.table.value.matrix(), inputBias: Array(inputBias.value.buffer),
            secondLayer: second.map { ($0.weights.value.matrix(), Array($0.bias.value.buffer)) }, itemFactors: items)
    }
}
