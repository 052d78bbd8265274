#if canImport(Glibc)
    import Glibc
#endif
import LinearAlgebra
import NeuralLayers

extension MLP {
    /// Adam steps of a fold-in.
    static let foldInSteps = 30
    /// Adam's step size in a fold-in.
    static let foldInLearningRate: Float = 0.05
    /// Negative items drawn per history item in a fold-in.
    static let foldInNegatives = 4
    /// History items a fold-in reads at most (the first ones given).
    static let foldInHistoryLimit = 256

    /// The embedding p of a user the model was not trained on (or whose history moved on), from a history (ranking
    /// objective only; weights are not read: the model trains on binary pairs): starting from the mean trained user
    /// embedding, `foldInSteps` Adam steps on p alone — the network, item embeddings and biases fixed, the user's bias
    /// the mean trained bias — against the training loss on the history's known items (target 1) and
    /// `foldInNegatives` items per history item (target 0) drawn uniformly from the other ranked items by a generator
    /// seeded by the history, so the same history always gives the same vector. Nil under the rating objective or
    /// when no history item is known. Costs about `2 · foldInSteps` forward passes over `5 ×` the history's items.
    package func foldIn(history: [Int32], weights: [Float]) -> [Float]? {
        precondition(history.count == weights.count, "history and weights must have the same count")
        guard objective == .ranking else { return nil }
        var positives: [Int32] = [], seen = Set<Int32>()
        for item in history where knows(item: item) && positives.count < Self.foldInHistoryLimit {
            if seen.insert(item).inserted { positives.append(item) }
        }
        guard !positives.isEmpty else { return nil }
        let examples = foldInExamples(positives: positives, seen: seen)
        let vector = fitUser(items: examples.map(\.item), fitsBias: false) { row, z in
            Activation.sigmoid(z) - examples[row].target
        }
        return vector.map { Array($0.dropFirst()) }
    }

    /// The vector `[b_u, p_u…]` of a user the model was not trained on (or who rated since the pass), from their
    /// ratings (`items` with `ratings`, same count; rating objective only): starting from the mean trained user,
    /// `foldInSteps` Adam steps on b_u and p_u — the network, item embeddings and biases fixed — against the squared
    /// error on the known items' ratings (the first `foldInHistoryLimit`). The same ratings always give the same
    /// vector. Nil under the ranking objective or when no rated item is known.
    package func foldIn(items: [Int32], ratings: [Float]) -> [Float]? {
        precondition(items.count == ratings.count, "items and ratings must have the same count")
        guard objective == .rating else { return nil }
        let known = items.indices.filter { knows(item: items[$0]) }.prefix(Self.foldInHistoryLimit)
        guard !known.isEmpty else { return nil }
        let targets = known.map { ratings[$0] }
        return fitUser(items: known.map { items[$0] }, fitsBias: true) { row, z in 2 * (z - targets[row]) }
    }

    /// `[b, p…]` fitted by `foldInSteps` Adam steps from the mean trained user on examples of `items` (repeats
    /// allowed), the rest of the model fixed; `lossGradient(row, z)` is d loss / d z of example `row` (the mean over
    /// the examples is taken here). b moves only when `fitsBias`. Nil when the result is not finite.
    private func fitUser(items: [Int32], fitsBias: Bool, lossGradient: (Int, Float) -> Float) -> [Float]? {
        let rows = items.count, first = layers[0].outputWidth, f = factors
        var user = [meanUserBias] + meanUser
        var firstMoment = [Float](repeating: 0, count: f + 1), secondMoment = [Float](repeating: 0, count: f + 1)
        let halves = UnsafeMutablePointer<Float>.allocate(capacity: rows * first)
        let activations = UnsafeMutablePointer<Float>.allocate(capacity: 2 * activationCount(rows: rows))
        let scratch = UnsafeMutablePointer<Float>.allocate(capacity: rows + 2 * first + f + 1)
        defer {
            halves.deallocate()
            activations.deallocate()
            scratch.deallocate()
        }
        let gradients = activations + activationCount(rows: rows)
        let outputs = scratch, half = scratch + rows, halfGradient = half + first, userGradient = halfGradient + first
        itemHalves.withUnsafeBufferPointer { source in
            for (row, item) in items.enumerated() {
                (halves + row * first).update(from: source.baseAddress! + Int(item) * first, count: first)
            }
        }
        for step in 1...Self.foldInSteps {
            user.withUnsafeBufferPointer { userHalf(embedding: $0.baseAddress! + 1, into: half) }
            forward(userHalf: half, halves: halves, rows: rows, activations: activations, outputs: outputs)
            var biasGradient: Float = 0
            for (row, item) in items.enumerated() {
                let z = outputs[row] + user[0] + itemBiases[Int(item)] + offset
                outputs[row] = lossGradient(row, z) / Float(rows)
                biasGradient += outputs[row]
            }
            userGradient[0] = fitsBias ? biasGradient : 0
            backward(outputGradient: outputs, rows: rows, activations: activations, gradients: gradients)
            halfGradient.update(repeating: 0, count: first)
            ColumnSums.add(gradients, rows: rows, columns: first, into: halfGradient, maxWorkers: 1)
            layers[0].weights.withUnsafeBufferPointer { weights in
                BLAS.gemv(.none, rows: f, columns: first, alpha: 1, a: weights.baseAddress!, lda: first, x: halfGradient,
                          beta: 0, y: userGradient + 1)
            }
            Self.adamStep(&user, &firstMoment, &secondMoment, gradient: userGradient, step: step)
        }
        return user.allSatisfy(\.isFinite) ? user : nil
    }

    /// The history's items (target 1) and the drawn negatives (target 0).
    private func foldInExamples(positives: [Int32], seen: Set<Int32>) -> [(item: Int32, target: Float)] {
        var examples = positives.map { (item: $0, target: Float(1)) }
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for item in positives { hash = (hash ^ UInt64(UInt32(bitPattern: item))) &* 0x100_0000_01B3 }
        var generator = Xoshiro256StarStar(seed: hash)
        guard rankedItemCount > seen.count else { return examples }
        for _ in 0..<(positives.count * Self.foldInNegatives) {
            var item = Int32(generator.nextIndex(below: itemCount))
            for _ in 0..<8 where !knows(item: item) || seen.contains(item) {
                item = Int32(generator.nextIndex(below: itemCount))
            }
            if knows(item: item) && !seen.contains(item) { examples.append((item, 0)) }
        }
        return examples
    }

    /// Back from d loss / d z (`outputGradient`, rows values) through the output layer and the ReLU layers to the first
    /// layer's pre-activation: `gradients` (laid out as `activations`) receives d loss / d pre-activation of every
    /// ReLU layer; the first layer's block is what the user half's gradient sums.
    func backward(
        outputGradient: UnsafePointer<Float>, rows: Int, activations: UnsafePointer<Float>,
        gradients: UnsafeMutablePointer<Float>
    ) {
        let widths = hiddenWidths
        var offsets: [Int] = [], total = 0
        for width in widths {
            offsets.append(total)
            total += rows * width
        }
        let lastWidth = widths[widths.count - 1], output = layers[layers.count - 1]
        output.weights.withUnsafeBufferPointer { weights in
            for row in 0..<rows {
                let target = gradients + offsets[widths.count - 1] + row * lastWidth
                for column in 0..<lastWidth { target[column] = outputGradient[row] * weights[column] }
            }
        }
        for index in stride(from: widths.count - 1, through: 0, by: -1) {
            let block = offsets[index]
            Activation.relu.backpropagate(
                outputs: activations + block, gradient: gradients + block, count: rows * widths[index], maxWorkers: 1)
            guard index > 0 else { break }
            layers[index].weights.withUnsafeBufferPointer { weights in
                BLAS.gemm(.none, .transpose, m: rows, n: widths[index - 1], k: widths[index], alpha: 1, a: gradients + block,
                          lda: widths[index], b: weights.baseAddress!, ldb: widths[index], beta: 0,
                          c: gradients + offsets[index - 1], ldc: widths[index - 1])
            }
        }
    }

    /// One bias-corrected Adam step (β 0.9, 0.999) on `vector`.
    private static func adamStep(
        _ vector: inout [Float], _ first: inout [Float], _ second: inout [Float], gradient: UnsafePointer<Float>, step: Int
    ) {
        let firstCorrection = 1 - Glibc.powf(0.9, Float(step)), secondCorrection = 1 - Glibc.powf(0.999, Float(step))
        for index in vector.indices {
            let g = gradient[index]
            first[index] = 0.9 * first[index] + 0.1 * g
            second[index] = 0.999 * second[index] + 0.001 * g * g
            let adaptive = (first[index] / firstCorrection) / ((second[index] / secondCorrection).squareRoot() + 1e-8)
            vector[index] -= foldInLearningRate * adaptive
        }
    }
}
