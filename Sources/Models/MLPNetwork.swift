#if canImport(Glibc)
    import Glibc
#endif
import LinearAlgebra
import NeuralLayers

/// The MLP while it trains: embedding tables, biases, dense layers, Adam and every workspace, allocated once for
/// the largest mini-batch, so a batch allocates nothing.
///
/// A batch is a list of examples (user, item, target). Forward: gather `[p_u, q_i]` into X, then
/// `A₁ = relu(X·W₁ + b₁)`, …, `o = A_L·w + c`, `z = offset + b_u + b_i + o`. The loss is the mean over the batch of
/// `(z − r)²` (rating) or of the binary cross-entropy of `σ(z)` against the 0/1 target (ranking).
final class MLPNetwork {
    let parameters: MLPParameters
    /// μ for the rating objective, 0 for ranking.
    let offset: Float
    let users: EmbeddingTable, items: EmbeddingTable
    let userBiases: EmbeddingTable, itemBiases: EmbeddingTable
    /// The ReLU layers, then the output layer (width 1).
    let layers: [DenseLayer]
    var optimiser: Adam
    /// The batch's examples; `capacity` entries reserved.
    var exampleUsers: [Int32] = [], exampleItems: [Int32] = [], targets: [Float] = []
    /// X (capacity × 2·factors) and its gradient.
    let input: Tensor, inputGradient: Tensor
    /// Each ReLU layer's activations and their gradients, capacity × width.
    let activations: [Tensor], activationGradients: [Tensor]
    /// The output o and d loss / d z, capacity × 1.
    let output: Tensor, outputGradient: Tensor
    let workers: Int

    /// A network for `userCount` users and `itemCount` items with Glorot-uniform embeddings and weights from `seed`
    /// and zero biases; `offset` is added to every prediction.
    init(userCount: Int, itemCount: Int, parameters: MLPParameters, offset: Float, seed: UInt64) {
        self.parameters = parameters
        self.offset = offset
        var generator = Xoshiro256StarStar(seed: seed)
        let f = parameters.factors
        users = EmbeddingTable(rows: userCount, width: f, fanIn: f, generator: &generator)
        items = EmbeddingTable(rows: itemCount, width: f, fanIn: f, generator: &generator)
        userBiases = EmbeddingTable(rows: userCount, width: 1, decays: false)
        itemBiases = EmbeddingTable(rows: itemCount, width: 1, decays: false)
        var layers: [DenseLayer] = [], width = 2 * f
        for next in parameters.hiddenWidths + [1] {
            layers.append(DenseLayer(inputs: width, outputs: next, generator: &generator))
            width = next
        }
        self.layers = layers
        optimiser = Adam(learningRate: parameters.learningRate, weightDecay: parameters.weightDecay)
        let capacity = parameters.examplesPerBatch
        exampleUsers.reserveCapacity(capacity)
        exampleItems.reserveCapacity(capacity)
        targets.reserveCapacity(capacity)
        input = Tensor(rows: capacity, columns: 2 * f)
        inputGradient = Tensor(rows: capacity, columns: 2 * f)
        activations = parameters.hiddenWidths.map { Tensor(rows: capacity, columns: $0) }
        activationGradients = parameters.hiddenWidths.map { Tensor(rows: capacity, columns: $0) }
        output = Tensor(rows: capacity, columns: 1)
        outputGradient = Tensor(rows: capacity, columns: 1)
        workers = parameters.threads
    }

    /// Every trainable parameter.
    var allParameters: [Parameter] {
        [users.table, items.table, userBiases.table, itemBiases.table] + layers.flatMap(\.parameters)
    }

    /// Forgets the batch's examples (keeping the capacity).
    func clearBatch() {
        exampleUsers.removeAll(keepingCapacity: true)
        exampleItems.removeAll(keepingCapacity: true)
        targets.removeAll(keepingCapacity: true)
    }

    /// Adds an example to the batch.
    func append(user: Int32, item: Int32, target: Float) {
        exampleUsers.append(user)
        exampleItems.append(item)
        targets.append(target)
    }

    /// One Adam step on the batch's examples; returns their mean loss.
    @discardableResult
    func step() -> Double {
        let loss = lossAndGradient()
        optimiser.step(allParameters, maxWorkers: workers)
        return loss
    }

    /// The batch's mean loss; adds its gradient to every parameter's (the optimiser has not stepped).
    func lossAndGradient() -> Double {
        let rows = exampleUsers.count, f = parameters.factors
        guard rows > 0 else { return 0 }
        let x = input.base, userValues = users.table.value.base, itemValues = items.table.value.base
        for row in 0..<rows {
            (x + row * 2 * f).update(from: userValues + Int(exampleUsers[row]) * f, count: f)
            (x + row * 2 * f + f).update(from: itemValues + Int(exampleItems[row]) * f, count: f)
        }
        var previous = UnsafePointer(x)
        for (layer, activation) in zip(layers, activations) {
            layer.forward(previous, batch: rows, into: activation.base, maxWorkers: workers)
            Activation.relu.apply(activation.base, count: rows * layer.outputWidth, maxWorkers: workers)
            previous = UnsafePointer(activation.base)
        }
        layers[layers.count - 1].forward(previous, batch: rows, into: output.base, maxWorkers: workers)
        let loss = outputLoss(rows: rows)
        var gradient = UnsafePointer(outputGradient.base)
        for index in stride(from: layers.count - 1, through: 1, by: -1) {
            let below = activationGradients[index - 1]
            layers[index].backward(
                input: activations[index - 1].base, outputGradient: gradient, batch: rows, inputGradient: below.base,
                maxWorkers: workers)
            Activation.relu.backpropagate(
                outputs: activations[index - 1].base, gradient: below.base, count: rows * below.columns, maxWorkers: workers)
            gradient = UnsafePointer(below.base)
        }
        layers[0].backward(input: x, outputGradient: gradient, batch: rows, inputGradient: inputGradient.base,
                           maxWorkers: workers)
        let dx = inputGradient.base, userGradient = users.table.gradient.base, itemGradient = items.table.gradient.base
        for row in 0..<rows {
            let user = Int(exampleUsers[row]), item = Int(exampleItems[row])
            users.table.markRow(user)
            items.table.markRow(item)
            VectorKernels.axpy(1, dx + row * 2 * f, userGradient + user * f, count: f)
            VectorKernels.axpy(1, dx + row * 2 * f + f, itemGradient + item * f, count: f)
        }
        return loss
    }

    /// The mean loss of the batch from o, with d loss / d z into `outputGradient` and the biases' gradients.
    private func outputLoss(rows: Int) -> Double {
        let scale = 1 / Float(rows)
        let userBias = userBiases.table, itemBias = itemBiases.table
        var total = 0.0
        for row in 0..<rows {
            let user = Int(exampleUsers[row]), item = Int(exampleItems[row]), target = targets[row]
            let z = offset + userBias.value.base[user] + itemBias.value.base[item] + output.base[row]
            let gradient: Float
            switch parameters.objective {
            case .rating:
                let error = z - target
                total += Double(error * error)
                gradient = 2 * error * scale
            case .ranking:
                // −[t·log σ(z) + (1 − t)·log(1 − σ(z))] = softplus(z) − t·z, computed without overflow.
                total += Double(Swift.max(z, 0) + Glibc.log1pf(Glibc.expf(-Swift.abs(z))) - target * z)
                gradient = (Activation.sigmoid(z) - target) * scale
            }
            outputGradient.base[row] = gradient
            userBias.gradient.base[user] += gradient
            itemBias.gradient.base[item] += gradient
            userBias.markRow(user)
            itemBias.markRow(item)
        }
        return total / Double(rows)
    }

    /// The model as it stands: copies of the parameters.
    func model(
        objective: MLPParameters.Objective, userCounts: [Int32], itemCounts: [Int32], ratingRange: ClosedRange<Float>,
        explicitTypes: [String]
    ) -> MLP {
        MLP(
            objective: objective, offset: offset, userEmbeddings: users.table.value.matrix(),
            itemEmbeddings: items.table.value.matrix(), userBiases: Array(userBiases.table.value.buffer),
            itemBiases: Array(itemBiases.table.value.buffer),
            layers: layers.map { MLPLayer(weights: $0.weights.value.matrix(), bias: Array($0.bias.value.buffer)) },
            userCounts: userCounts, itemCounts: itemCounts, ratingRange: ratingRange, explicitTypes: explicitTypes)
    }
}
