import LinearAlgebra

/// Dense scoring shared by the matrix-factorisation models (ALS, BPR).
enum FactorScoring {
    /// `scores = items · vector` (one dot product per item row) with BLAS.
    static func score(
        vector: UnsafePointer<Float>, items: DenseMatrix, into scores: UnsafeMutableBufferPointer<Float>
    ) {
        precondition(scores.count == items.rowCount, "score buffer must hold one value per item")
        guard items.rowCount > 0 else { return }
        items.withUnsafeBufferPointer { factors in
            BLAS.gemv(
                .none, rows: items.rowCount, columns: items.columnCount, alpha: 1, a: factors.baseAddress!,
                lda: items.columnCount, x: vector, beta: 0, y: scores.baseAddress!)
        }
    }

    /// Scores a block of queries with one sgemm: `vectors` holds `queries.count` rows of
    /// `items.columnCount` floats; `vector(query, row)` fills a row and says whether the query is answered.
    static func scoreBlock(
        _ queries: ArraySlice<UserQuery>, items: DenseMatrix, into scores: UnsafeMutableBufferPointer<Float>,
        answered: UnsafeMutableBufferPointer<Bool>,
        vector: (UserQuery, UnsafeMutableBufferPointer<Float>) -> Bool
    ) {
        let count = queries.count, width = items.columnCount, itemCount = items.rowCount
        precondition(scores.count >= count * itemCount && answered.count >= count)
        guard count > 0 else { return }
        withUnsafeTemporaryAllocation(of: Float.self, capacity: max(1, count * width)) { vectors in
            for (offset, query) in queries.enumerated() {
                let row = UnsafeMutableBufferPointer(rebasing: vectors[offset * width..<(offset + 1) * width])
                answered[offset] = vector(query, row)
                if !answered[offset] { row.update(repeating: 0) }
            }
            if itemCount > 0 {
                items.withUnsafeBufferPointer { factors in
                    BLAS.gemm(
                        .none, .transpose, m: count, n: itemCount, k: width, alpha: 1, a: vectors.baseAddress!,
                        lda: width, b: factors.baseAddress!, ldb: width, beta: 0, c: scores.baseAddress!,
                        ldc: itemCount)
                }
            }
            for offset in 0..<count where !answered[offset] {
                UnsafeMutableBufferPointer(rebasing: scores[offset * itemCount..<(offset + 1) * itemCount])
                    .update(repeating: -.infinity)
            }
        }
    }

    /// The vector that scores `query` for a model that solves users from their histories (ALS folds in, SVD
    /// projects): the caller's factors when they fit, else the trained user's row — unless that row is zero and the
    /// query has a history (a user the pass saw without usable events) —, else what `solve` makes of the history.
    static func userVector(
        for query: UserQuery, userFactors: DenseMatrix, into vector: UnsafeMutableBufferPointer<Float>,
        solve: (UnsafeMutableBufferPointer<Float>) -> Bool
    ) -> Bool {
        if let given = query.factors, given.count == userFactors.columnCount {
            _ = vector.update(fromContentsOf: given)
            return true
        }
        if let user = query.user, user >= 0, Int(user) < userFactors.rowCount {
            let isZero = userFactors.withRow(Int(user)) { row in
                _ = vector.update(fromContentsOf: row)
                return row.allSatisfy { $0 == 0 }
            }
            if !isZero || query.history.isEmpty { return true }
        }
        guard !query.history.isEmpty else { return false }
        return solve(vector)
    }

    /// L2 norm of the first `dimensions` columns of every row.
    static func rowNorms(_ matrix: DenseMatrix, dimensions: Int) -> [Float] {
        (0..<matrix.rowCount).map { row in
            matrix.withRow(row) { VectorKernels.squaredNorm($0.baseAddress!, count: dimensions).squareRoot() }
        }
    }

    /// Items by cosine of their first `dimensions` factors to `item`, best first, without `item` and items
    /// outside `allowed`; items with a zero vector are never similar.
    static func similarItems(
        to item: Int32, count: Int, items: DenseMatrix, dimensions: Int, norms: [Float], allowed: BitSet?
    ) -> [ScoredItem] {
        guard item >= 0, Int(item) < items.rowCount, count > 0 else { return [] }
        let norm = norms[Int(item)]
        guard norm > 0 else { return [] }
        var cosines = [Float](repeating: 0, count: items.rowCount)
        items.withUnsafeBufferPointer { factors in
            cosines.withUnsafeMutableBufferPointer { output in
                BLAS.gemv(
                    .none, rows: items.rowCount, columns: dimensions, alpha: 1, a: factors.baseAddress!,
                    lda: items.columnCount, x: factors.baseAddress! + Int(item) * items.columnCount, beta: 0,
                    y: output.baseAddress!)
            }
        }
        for index in cosines.indices {
            cosines[index] = norms[index] > 0 ? cosines[index] / (norm * norms[index]) : -.infinity
        }
        cosines[Int(item)] = -.infinity
        if let allowed { cosines.withUnsafeMutableBufferPointer { allowed.maskOthers(in: $0) } }
        return cosines.withUnsafeBufferPointer { buffer in
            TopK.select(buffer, count: count).map(ScoredItem.init)
        }
    }
}
