import LinearAlgebra

/// Embarrassingly shallow autoencoder (Steck 2019): a dense item × item weight matrix in closed form,
/// B = I − P·diag(1/diag(P)) with P = (XᵀX + λI)⁻¹, so B has a zero diagonal.
///
/// A user's scores are their history row times B: `score(i) = Σ_{j ∈ history} w_j · B[j, i]`. Any history
/// scores directly, so users unseen in training (and fresh events of known ones) need no fold-in. The model
/// covers at most `EASEParameters.maxItems` items (the most-interacted); the others score `-Float.infinity`.
package struct EASE: Recommender {
    /// Always `.ease`.
    package var kind: ModelKind { .ease }
    /// Users in the training data.
    package let userCount: Int
    /// Items in the training data.
    package let itemCount: Int
    /// `λ` the model was fitted with.
    package let regularization: Float
    /// The items the model covers, ascending; position p in this list is row and column p of `weights`.
    package let coveredItems: [Int32]
    /// B over the covered items, row-major: row p holds how item `coveredItems[p]` scores every covered item.
    package let weights: DenseMatrix
    /// Position of every item in `coveredItems`, -1 when not covered.
    let positions: [Int32]
    /// L2 norm of every column of `weights`, for `similarItems`.
    let columnNorms: [Float]

    /// A model over fitted weights; `coveredItems` ascending and in `0..<itemCount`, `weights` square over them.
    package init(userCount: Int, itemCount: Int, regularization: Float, coveredItems: [Int32], weights: DenseMatrix) {
        precondition(weights.rowCount == coveredItems.count && weights.columnCount == coveredItems.count)
        self.userCount = userCount
        self.itemCount = itemCount
        self.regularization = regularization
        self.coveredItems = coveredItems
        self.weights = weights
        var positions = [Int32](repeating: -1, count: itemCount)
        for (position, item) in coveredItems.enumerated() { positions[Int(item)] = Int32(position) }
        self.positions = positions
        columnNorms = Self.columnNorms(of: weights)
    }

    /// Items the model can rank: the covered ones.
    package var rankedItemCount: Int { coveredItems.count }

    /// Whether every item is covered, so positions are item indices.
    private var coversEveryItem: Bool { coveredItems.count == itemCount }

    /// The history row times B; false (all `-inf`) when no history item is covered.
    package func score(_ query: UserQuery, into scores: UnsafeMutableBufferPointer<Float>) -> Bool {
        precondition(scores.count == itemCount, "score buffer must hold itemCount values")
        let size = coveredItems.count
        guard query.history.contains(where: { $0 >= 0 && Int($0) < itemCount && positions[Int($0)] >= 0 }) else {
            scores.update(repeating: -.infinity)
            return false
        }
        if coversEveryItem {
            accumulate(query, into: scores.baseAddress!)
            return true
        }
        withUnsafeTemporaryAllocation(of: Float.self, capacity: max(1, size)) { covered in
            accumulate(query, into: covered.baseAddress!)
            scores.update(repeating: -.infinity)
            for position in 0..<size { scores[Int(coveredItems[position])] = covered[position] }
        }
        return true
    }

    /// `Σ w_j · B[j, ·]` over the covered history items, into `coveredItems.count` values.
    private func accumulate(_ query: UserQuery, into output: UnsafeMutablePointer<Float>) {
        let size = coveredItems.count
        output.update(repeating: 0, count: size)
        weights.withUnsafeBufferPointer { matrix in
            for (item, weight) in zip(query.history, query.weights) where item >= 0 && Int(item) < itemCount {
                let position = Int(positions[Int(item)])
                guard position >= 0 else { continue }
                VectorKernels.axpy(weight, matrix.baseAddress! + position * size, output, count: size)
            }
        }
    }

    /// Items by cosine of their columns of B (the weights with which every item predicts them), best first,
    /// never `item` itself; empty for an item the model does not cover.
    package func similarItems(to item: Int32, count: Int, allowed: BitSet?) -> [ScoredItem]? {
        guard item >= 0, Int(item) < itemCount, count > 0 else { return [] }
        let position = Int(positions[Int(item)])
        guard position >= 0, columnNorms[position] > 0 else { return [] }
        let size = coveredItems.count
        var cosines = [Float](repeating: -.infinity, count: itemCount)
        withUnsafeTemporaryAllocation(of: Float.self, capacity: 2 * size) { scratch in
            let column = scratch.baseAddress!, dots = scratch.baseAddress! + size
            weights.withUnsafeBufferPointer { matrix in
                for row in 0..<size { column[row] = matrix[row * size + position] }
                BLAS.gemv(
                    .transpose, rows: size, columns: size, alpha: 1, a: matrix.baseAddress!, lda: size, x: column,
                    beta: 0, y: dots)
            }
            let norm = columnNorms[position]
            for other in 0..<size where columnNorms[other] > 0 {
                cosines[Int(coveredItems[other])] = dots[other] / (norm * columnNorms[other])
            }
        }
        cosines[Int(item)] = -.infinity
        if let allowed { cosines.withUnsafeMutableBufferPointer { allowed.maskOthers(in: $0) } }
        return cosines.withUnsafeBufferPointer { buffer in
            TopK.select(buffer, count: count).map(ScoredItem.init)
        }
    }

    /// L2 norm of every column of the square row-major `matrix`, in parallel over column ranges.
    private static func columnNorms(of matrix: DenseMatrix) -> [Float] {
        let size = matrix.columnCount
        var norms = [Float](repeating: 0, count: size)
        matrix.withUnsafeBufferPointer { source in
            norms.withUnsafeMutableBufferPointer { output in
                parallelFor(count: size, chunkSize: 1024) { columns, _ in
                    let target = output.baseAddress! + columns.lowerBound
                    for row in 0..<size {
                        let values = source.baseAddress! + row * size + columns.lowerBound
                        for offset in 0..<columns.count { target[offset] += values[offset] * values[offset] }
                    }
                    for offset in 0..<columns.count { target[offset] = target[offset].squareRoot() }
                }
            }
        }
        return norms
    }
}
