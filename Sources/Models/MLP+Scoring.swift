import LinearAlgebra
import NeuralLayers

extension MLP {
    /// Items per block of a scoring pass: the block's activations (256 × the layers' widths) stay in cache.
    static let scoringBlock = 256

    /// Floats of workspace `forward` needs for `rows` items: every ReLU layer's activations.
    func activationCount(rows: Int) -> Int { rows * hiddenWidths.reduce(0, +) }

    /// `userHalf = p · A` (first width values): the user half of the first layer's pre-activation for embedding `p`.
    func userHalf(embedding: UnsafePointer<Float>, into userHalf: UnsafeMutablePointer<Float>) {
        let width = layers[0].outputWidth
        layers[0].weights.withUnsafeBufferPointer { weights in
            BLAS.gemv(.transpose, rows: factors, columns: width, alpha: 1, a: weights.baseAddress!, lda: width,
                      x: embedding, beta: 0, y: userHalf)
        }
    }

    /// The network's output o(u, i) for `rows` items whose first-layer item halves are `halves` (rows × first width),
    /// for a user whose half is `userHalf`: each ReLU layer's activations go to `activations` (layer after layer,
    /// rows × width each, `activationCount(rows:)` floats) and o to `outputs` (rows values). One `sgemm` per layer
    /// after the first, one `gemv` for the output.
    func forward(
        userHalf: UnsafePointer<Float>, halves: UnsafePointer<Float>, rows: Int,
        activations: UnsafeMutablePointer<Float>, outputs: UnsafeMutablePointer<Float>
    ) {
        let first = layers[0].outputWidth
        for row in 0..<rows {
            let source = halves + row * first, target = activations + row * first
            for column in 0..<first { target[column] = Swift.max(0, source[column] + userHalf[column]) }
        }
        var input = activations, inputWidth = first
        for layer in layers.dropFirst().dropLast() {
            let output = input + rows * inputWidth, width = layer.outputWidth
            layer.bias.withUnsafeBufferPointer { bias in
                for row in 0..<rows { (output + row * width).update(from: bias.baseAddress!, count: width) }
            }
            layer.weights.withUnsafeBufferPointer { weights in
                BLAS.gemm(.none, .none, m: rows, n: width, k: inputWidth, alpha: 1, a: input, lda: inputWidth,
                          b: weights.baseAddress!, ldb: width, beta: 1, c: output, ldc: width)
            }
            Activation.relu.apply(output, count: rows * width, maxWorkers: 1)
            input = output
            inputWidth = width
        }
        let last = layers[layers.count - 1]
        last.weights.withUnsafeBufferPointer { weights in
            BLAS.gemv(.none, rows: rows, columns: inputWidth, alpha: 1, a: input, lda: inputWidth, x: weights.baseAddress!,
                      beta: 0, y: outputs)
        }
        for row in 0..<rows { outputs[row] += last.bias[0] }
    }

    /// Every item's score for the query's user: `σ(z)` (ranking) or the unclipped predicted rating z; items without
    /// training data get `-Float.infinity`. The user is `query.factors` when it has `factors` values (a cached fold-in
    /// of a history) or, under the rating objective, `factors + 1` (`[b_u, p_u…]`, folded in from ratings), else the
    /// trained user, else (ranking) a fold-in of the history; false when none of these exists.
    package func score(_ query: UserQuery, into scores: UnsafeMutableBufferPointer<Float>) -> Bool {
        precondition(scores.count == itemCount, "score buffer must hold itemCount values")
        let first = layers[0].outputWidth
        return withUnsafeTemporaryAllocation(of: Float.self, capacity: first) { half in
            var userBias = meanUserBias
            if let given = query.factors, given.count == factors {
                given.withUnsafeBufferPointer { userHalf(embedding: $0.baseAddress!, into: half.baseAddress!) }
            } else if objective == .rating, let given = query.factors, given.count == factors + 1 {
                given.withUnsafeBufferPointer { userHalf(embedding: $0.baseAddress! + 1, into: half.baseAddress!) }
                userBias = given[0]
            } else if let user = query.user, knows(user: user) {
                userEmbeddings.withRow(Int(user)) { userHalf(embedding: $0.baseAddress!, into: half.baseAddress!) }
                userBias = userBiases[Int(user)]
            } else if foldsInUsers, let folded = foldIn(history: query.history, weights: query.weights) {
                folded.withUnsafeBufferPointer { userHalf(embedding: $0.baseAddress!, into: half.baseAddress!) }
            } else {
                scores.update(repeating: -.infinity)
                return false
            }
            scoreItems(userHalf: half.baseAddress!, userBias: userBias, into: scores)
            return true
        }
    }

    /// The prediction for one pair from the parts that are known: `offset`, plus `b_u` for a trained user, plus `b_i`
    /// for an item with training data, plus o(u, i) when both are; the rating objective clips it to the training
    /// range (`recsmith evaluate --task rating`), the ranking objective returns σ of it.
    package func predict(user: Int32?, item: Int32?) -> Float {
        let knownUser = user.flatMap { knows(user: $0) ? Int($0) : nil }
        let knownItem = item.flatMap { knows(item: $0) ? Int($0) : nil }
        var z = offset + (knownUser.map { userBiases[$0] } ?? 0) + (knownItem.map { itemBiases[$0] } ?? 0)
        if let knownUser, let knownItem {
            z += userEmbeddings.withRow(knownUser) { output(userEmbedding: $0, item: knownItem) }
        }
        switch objective {
        case .ranking: return Activation.sigmoid(z)
        case .rating: return Swift.min(Swift.max(z, ratingRange.lowerBound), ratingRange.upperBound)
        }
    }

    /// The network's output o(u, i) for one item with training data and a user embedding p_u (`factors` values).
    func output<Embedding: Collection<Float>>(userEmbedding: Embedding, item: Int) -> Float {
        precondition(userEmbedding.count == factors, "a user embedding has factors values")
        let first = layers[0].outputWidth
        return withUnsafeTemporaryAllocation(of: Float.self, capacity: factors + first + activationCount(rows: 1) + 1) {
            let embedding = $0.baseAddress!, half = embedding + factors, activations = half + first
            let output = activations + activationCount(rows: 1)
            _ = UnsafeMutableBufferPointer(start: embedding, count: factors).initialize(fromContentsOf: userEmbedding)
            userHalf(embedding: embedding, into: half)
            itemHalves.withRow(item) {
                forward(userHalf: half, halves: $0.baseAddress!, rows: 1, activations: activations, outputs: output)
            }
            return output[0]
        }
    }

    /// The scores of every item, in blocks of `scoringBlock` items, for a user whose first-layer half is `userHalf`.
    private func scoreItems(
        userHalf: UnsafePointer<Float>, userBias: Float, into scores: UnsafeMutableBufferPointer<Float>
    ) {
        let block = Self.scoringBlock, first = layers[0].outputWidth, base = offset + userBias
        withUnsafeTemporaryAllocation(of: Float.self, capacity: activationCount(rows: block)) { activations in
            itemHalves.withUnsafeBufferPointer { halves in
                var start = 0
                while start < itemCount {
                    let rows = Swift.min(block, itemCount - start)
                    forward(userHalf: userHalf, halves: halves.baseAddress! + start * first, rows: rows,
                            activations: activations.baseAddress!, outputs: scores.baseAddress! + start)
                    start += rows
                }
            }
        }
        for item in 0..<itemCount {
            guard itemCounts[item] > 0 else {
                scores[item] = -.infinity
                continue
            }
            let z = scores[item] + base + itemBiases[item]
            scores[item] = objective == .ranking ? Activation.sigmoid(z) : z
        }
    }
}
