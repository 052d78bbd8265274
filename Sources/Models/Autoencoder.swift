#if canImport(Glibc)
    import Glibc
#endif
import LinearAlgebra

/// A multinomial denoising autoencoder (Mult-DAE, Liang et al. 2018; Recoder): a user's L2-normalised
/// interaction row → one or two tanh layers → a softmax over every item.
///
/// Scoring is a forward pass on any history — the trained users', a known user's fresh events, a user never seen
/// — so there is no fold-in to cache and new users are personal at once. The last layer is an inner product of
/// the user's code `[h, 1]` with each item's row `[E_j, b_j]`, so it scores through `InnerProductScoring` (one
/// sgemm per block of users, an HNSW index on large catalogues). Similar items: cosine of the rows E_j.
package struct Autoencoder: InnerProductScoring, CosineItemSimilarity {
    /// Always `.autoencoder`.
    package var kind: ModelKind { .autoencoder }
    /// Users in the training data.
    package let userCount: Int
    /// Items in the training data.
    package var itemCount: Int { itemFactors.rowCount }
    /// The first layer's weights, items × hidden: row j is what item j adds to a user's pre-activation.
    package let inputWeights: DenseMatrix
    /// The first layer's biases.
    package let inputBias: [Float]
    /// The optional second layer: weights (hidden × second hidden) and biases.
    package let secondLayer: (weights: DenseMatrix, bias: [Float])?
    /// `[E_j, b_j]` per item: the output layer's weights with its bias in the last column.
    package let itemFactors: DenseMatrix
    /// Norm of every E_j (bias excluded), for `similarItems`.
    package let similarityNorms: [Float]

    /// A model over trained layers; `itemFactors` has one column more than the last hidden layer is wide.
    package init(
        userCount: Int, inputWeights: DenseMatrix, inputBias: [Float], secondLayer: (weights: DenseMatrix, bias: [Float])?,
        itemFactors: DenseMatrix
    ) {
        let last = secondLayer?.bias.count ?? inputBias.count
        precondition(inputWeights.columnCount == inputBias.count && inputWeights.rowCount == itemFactors.rowCount)
        precondition(secondLayer.map { $0.weights.rowCount == inputBias.count && $0.weights.columnCount == $0.bias.count } ?? true)
        precondition(itemFactors.columnCount == last + 1, "item rows hold the last layer's width plus the bias")
        self.userCount = userCount
        self.inputWeights = inputWeights
        self.inputBias = inputBias
        self.secondLayer = secondLayer
        self.itemFactors = itemFactors
        BLAS.useSingleThread()
        similarityNorms = FactorScoring.rowNorms(itemFactors, dimensions: last)
    }

    /// Width of the code the output layer reads (the last hidden layer).
    package var codeWidth: Int { itemFactors.columnCount - 1 }

    /// `[h, 1]`: the history's binary row, L2-normalised, through the hidden layers (no dropout); false when no
    /// history item is known to the model.
    package func userVector(for query: UserQuery, into vector: UnsafeMutableBufferPointer<Float>) -> Bool {
        let known = query.history.filter { $0 >= 0 && Int($0) < itemCount }
        guard !known.isEmpty else { return false }
        let width = inputBias.count, value = 1 / Float(known.count).squareRoot()
        withUnsafeTemporaryAllocation(of: Float.self, capacity: width) { first in
            _ = first.update(fromContentsOf: inputBias)
            inputWeights.withUnsafeBufferPointer { weights in
                for item in known {
                    VectorKernels.axpy(value, weights.baseAddress! + Int(item) * width, first.baseAddress!, count: width)
                }
            }
            for index in 0..<width { first[index] = Glibc.tanhf(first[index]) }
            if let (weights, bias) = secondLayer {
                _ = vector.update(fromContentsOf: bias)
                weights.withUnsafeBufferPointer { matrix in
                    BLAS.gemv(.transpose, rows: width, columns: bias.count, alpha: 1, a: matrix.baseAddress!,
                              lda: bias.count, x: first.baseAddress!, beta: 1, y: vector.baseAddress!)
                }
                for index in 0..<bias.count { vector[index] = Glibc.tanhf(vector[index]) }
            } else {
                for index in 0..<width { vector[index] = first[index] }
            }
        }
        vector[codeWidth] = 1
        return true
    }

    /// Similar items: by cosine of their output rows E_j (bias excluded).
    package var similarityVectors: DenseMatrix { itemFactors }
    package var similarityDimensions: Int { codeWidth }
}
