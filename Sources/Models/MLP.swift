import LinearAlgebra

/// PyTorch 101's "DenseNet" (He et al. 2017's MLP tower): a user embedding p_u and an item embedding q_i,
/// concatenated, through ReLU layers to one output o(u, i); the prediction is `z = offset + b_u + b_i + o(u, i)`.
/// Under the ranking objective `σ(z)` is the probability that u interacts with i (offset 0); under the rating
/// objective z is the predicted rating (offset μ, the mean training rating, clipped to the training range when
/// asked for one rating).
///
/// **Scoring every item at once.** The first layer reads `[p_u, q_i]`, so its pre-activation splits into a user
/// half and an item half: `[p_u, q_i] · W₁ + b₁ = p_u · A + (q_i · B + b₁)` with A and B the top and bottom `factors`
/// rows of W₁. The item halves `H = Q · B + b₁` (items × first width) are computed once, when the model is built
/// or loaded; a user costs one `gemv` for `p_u · A`, then blocks of items go through `relu(H_block + p_u·A)` and
/// one `sgemm` per further layer — never one item at a time.
///
/// Similar items: cosine of the item embeddings q_i. A user without training data is folded in by gradient steps on
/// p_u against the fixed network: from a history under the ranking objective (``foldIn(history:weights:)``), from
/// their ratings under the rating objective (``foldIn(items:ratings:)``, which fits b_u too).
package struct MLP: Recommender, CosineItemSimilarity {
    /// Always `.mlp`.
    package var kind: ModelKind { .mlp }
    /// What the output means.
    package let objective: MLPParameters.Objective
    /// μ (rating objective) or 0 (ranking).
    package let offset: Float
    /// p_u by user, users × factors (rows of users without training data are never read).
    package let userEmbeddings: DenseMatrix
    /// q_i by item, items × factors.
    package let itemEmbeddings: DenseMatrix
    /// b_u by user.
    package let userBiases: [Float]
    /// b_i by item.
    package let itemBiases: [Float]
    /// The dense layers: the first reads `2 · factors` values, the last writes one; every layer but the last is
    /// followed by a ReLU.
    package let layers: [MLPLayer]
    /// Training pairs (ranking) or ratings (rating) per user; 0: the model knows nothing of the user.
    package let userCounts: [Int32]
    /// Training pairs or ratings per item; items with none are never recommended.
    package let itemCounts: [Int32]
    /// Smallest and largest training rating (the rating objective clips single predictions to it); `0...1` for
    /// ranking.
    package let ratingRange: ClosedRange<Float>
    /// The event types whose values the rating objective was fitted to (`mf.explicit_types`, which both rating
    /// models read); a user is folded in from their latest events of these types. Unused by the ranking objective.
    package let explicitTypes: [String]
    /// `q_i · B + b₁` per item: the item half of the first layer's pre-activation, items × first width.
    let itemHalves: DenseMatrix
    /// The mean trained user embedding and bias: where a fold-in starts, and the bias a folded-in user gets.
    let meanUser: [Float]
    let meanUserBias: Float
    /// Norm of every q_i, for `similarItems`.
    package let similarityNorms: [Float]

    /// A model over fitted parameters; the first layer must read `2 · factors` inputs and the last write one.
    package init(
        objective: MLPParameters.Objective, offset: Float, userEmbeddings: DenseMatrix, itemEmbeddings: DenseMatrix,
        userBiases: [Float], itemBiases: [Float], layers: [MLPLayer], userCounts: [Int32], itemCounts: [Int32],
        ratingRange: ClosedRange<Float>, explicitTypes: [String] = MLP.defaultExplicitTypes
    ) {
        let factors = itemEmbeddings.columnCount
        precondition(userEmbeddings.columnCount == factors, "user and item embeddings must have one width")
        precondition(userBiases.count == userEmbeddings.rowCount && userCounts.count == userBiases.count)
        precondition(itemBiases.count == itemEmbeddings.rowCount && itemCounts.count == itemBiases.count)
        precondition(layers.count >= 2 && layers[0].inputWidth == 2 * factors && layers.last!.outputWidth == 1)
        precondition(zip(layers, layers.dropFirst()).allSatisfy { $0.outputWidth == $1.inputWidth }, "layers must chain")
        self.objective = objective
        self.offset = offset
        self.userEmbeddings = userEmbeddings
        self.itemEmbeddings = itemEmbeddings
        self.userBiases = userBiases
        self.itemBiases = itemBiases
        self.layers = layers
        self.userCounts = userCounts
        self.itemCounts = itemCounts
        self.ratingRange = ratingRange
        self.explicitTypes = explicitTypes
        BLAS.useSingleThread()
        itemHalves = Self.itemHalves(items: itemEmbeddings, first: layers[0])
        (meanUser, meanUserBias) = Self.meanUser(userEmbeddings, userBiases, userCounts)
        similarityNorms = FactorScoring.rowNorms(itemEmbeddings, dimensions: factors)
    }

    /// The explicit types of a model fitted outside the service (`mf.explicit_types`' default).
    package static let defaultExplicitTypes = ["rating"]

    /// Users in the training data.
    package var userCount: Int { userBiases.count }
    /// Items in the training data.
    package var itemCount: Int { itemBiases.count }
    /// Width of each embedding.
    package var factors: Int { itemEmbeddings.columnCount }
    /// Widths of the ReLU layers.
    package var hiddenWidths: [Int] { layers.dropLast().map(\.outputWidth) }
    /// Items with training data: the ones recommendations can hold.
    package var rankedItemCount: Int { itemCounts.count { $0 > 0 } }

    /// True when `user` had training data.
    package func knows(user: Int32) -> Bool {
        user >= 0 && Int(user) < userCount && userCounts[Int(user)] > 0
    }

    /// True when `item` had training data.
    package func knows(item: Int32) -> Bool {
        item >= 0 && Int(item) < itemCount && itemCounts[Int(item)] > 0
    }

    /// Under the ranking objective a user is folded in from a history (gradient steps on p_u).
    package var foldsInUsers: Bool { objective == .ranking }

    /// Similar items: by cosine of their embeddings q_i.
    package var similarityVectors: DenseMatrix { itemEmbeddings }
    package var similarityDimensions: Int { factors }

    private static func itemHalves(items: DenseMatrix, first: MLPLayer) -> DenseMatrix {
        let factors = items.columnCount, width = first.outputWidth
        var halves = DenseMatrix(rowCount: items.rowCount, columnCount: width)
        guard items.rowCount > 0 else { return halves }
        halves.withUnsafeMutableBufferPointer { output in
            first.bias.withUnsafeBufferPointer { bias in
                for row in 0..<items.rowCount {
                    (output.baseAddress! + row * width).update(from: bias.baseAddress!, count: width)
                }
            }
            items.withUnsafeBufferPointer { embeddings in
                first.weights.withUnsafeBufferPointer { weights in
                    BLAS.gemm(
                        .none, .none, m: items.rowCount, n: width, k: factors, alpha: 1, a: embeddings.baseAddress!,
                        lda: factors, b: weights.baseAddress! + factors * width, ldb: width, beta: 1,
                        c: output.baseAddress!, ldc: width)
                }
            }
        }
        return halves
    }

    private static func meanUser(
        _ embeddings: DenseMatrix, _ biases: [Float], _ counts: [Int32]
    ) -> ([Float], Float) {
        var sum = [Double](repeating: 0, count: embeddings.columnCount), bias = 0.0, known = 0
        for user in counts.indices where counts[user] > 0 {
            embeddings.withRow(user) { row in for index in row.indices { sum[index] += Double(row[index]) } }
            bias += Double(biases[user])
            known += 1
        }
        let scale = 1 / Double(max(1, known))
        return (sum.map { Float($0 * scale) }, Float(bias * scale))
    }
}
