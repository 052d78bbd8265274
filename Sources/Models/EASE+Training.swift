import LinearAlgebra

extension EASE {
    /// Fits B in closed form on `data` (interaction values as X, 1 on binary data): G = XᵀX + λI over the
    /// covered items, P = G⁻¹ by a parallel float32 Cholesky (`SymmetricInverse`), then B in place of P.
    /// `cancellation` is checked between the inverse's block steps. Deterministic.
    package static func fit(
        _ data: TrainingData, parameters: EASEParameters = .init(), cancellation: TrainingCancellation? = nil
    ) throws(ModelError) -> EASE {
        try parameters.validate()
        let matrix = data.interactions
        guard matrix.nonzeroCount > 0, matrix.rowCount > 0, matrix.columnCount > 0 else {
            throw .emptyTrainingData(kind: .ease)
        }
        try cancellation?.check(.ease)
        let covered = coveredItems(matrix, limit: parameters.maxItems)
        var positions = [Int32](repeating: -1, count: matrix.columnCount)
        for (position, item) in covered.enumerated() { positions[Int(item)] = Int32(position) }
        var weights = gram(matrix, covered: covered, positions: positions, regularization: parameters.regularization)
        let size = covered.count
        do {
            try weights.withUnsafeMutableBufferPointer { buffer throws(SymmetricInverse.Failure) in
                try SymmetricInverse.invert(buffer.baseAddress!, size: size) { !(cancellation?.isCancelled ?? false) }
            }
        } catch .notPositiveDefinite(let column) {
            throw .solverFailed(kind: .ease, row: Int(covered[column]))
        } catch {
            throw .cancelled(kind: .ease)
        }
        weights.withUnsafeMutableBufferPointer { replaceInverseByWeights($0.baseAddress!, size: size) }
        guard weights.isFinite else { throw .nonFiniteFactors(kind: .ease) }
        return EASE(
            userCount: matrix.rowCount, itemCount: matrix.columnCount, regularization: parameters.regularization,
            coveredItems: covered, weights: weights)
    }

    /// The items with interactions, at most `limit` of them: the most-interacted (more users first, then
    /// smaller index), returned in ascending index order.
    static func coveredItems(_ matrix: CSRMatrix, limit: Int) -> [Int32] {
        let counts = matrix.columnNonzeroCounts()
        var items = (0..<matrix.columnCount).filter { counts[$0] > 0 }.map { Int32($0) }
        if items.count > limit {
            items.sort { counts[Int($0)] != counts[Int($1)] ? counts[Int($0)] > counts[Int($1)] : $0 < $1 }
            items.removeLast(items.count - limit)
            items.sort()
        }
        return items
    }

    /// XᵀX + λI over the covered items, both triangles, row-major. Row a is built by one task from the users
    /// of item a (the transposed matrix), so rows are written without sharing: `Σ_users n_u²` multiply-adds.
    private static func gram(
        _ matrix: CSRMatrix, covered: [Int32], positions: [Int32], regularization: Float
    ) -> DenseMatrix {
        let size = covered.count
        var gram = DenseMatrix(rowCount: size, columnCount: size)
        let itemUsers = matrix.transposed()
        gram.withUnsafeMutableBufferPointer { output in
            matrix.columns.withUnsafeBufferPointer { columns in
                matrix.values.withUnsafeBufferPointer { values in
                    parallelFor(count: size, chunkSize: 16) { range, _ in
                        for position in range {
                            let row = output.baseAddress! + position * size
                            for entry in itemUsers.entryRange(ofRow: Int(covered[position])) {
                                let user = Int(itemUsers.columns[entry]), value = itemUsers.values[entry]
                                for other in matrix.rowOffsets[user]..<matrix.rowOffsets[user + 1] {
                                    let column = Int(positions[Int(columns[other])])
                                    if column >= 0 { row[column] += value * values[other] }
                                }
                            }
                            row[position] += regularization
                        }
                    }
                }
            }
        }
        return gram
    }

    /// B[i, j] = −P[i, j] / P[j, j] off the diagonal, 0 on it, in place of the symmetric P, by rows in parallel.
    private static func replaceInverseByWeights(_ matrix: UnsafeMutablePointer<Float>, size: Int) {
        let scale = UnsafeMutableBufferPointer<Float>.allocate(capacity: size)
        defer { scale.deallocate() }
        for index in 0..<size { scale[index] = -1 / matrix[index * size + index] }
        parallelFor(count: size, chunkSize: 64) { range, _ in
            for row in range {
                let values = matrix + row * size
                for column in 0..<size { values[column] *= scale[column] }
                values[row] = 0
            }
        }
    }
}
