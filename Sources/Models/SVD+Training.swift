import LinearAlgebra

extension SVD {
    /// Decomposes `data`'s interaction matrix (values as stored, 1 on binary data) with `RandomizedSVD`:
    /// `factors` triplets (fewer when the matrix has fewer rows or columns), a Gaussian sketch from `seed`,
    /// `powerIterations` re-orthonormalised power iterations. `cancellation` is checked between iterations.
    package static func fit(
        _ data: TrainingData, parameters: SVDParameters = .init(), seed: UInt64, cancellation: TrainingCancellation? = nil
    ) throws(ModelError) -> SVD {
        try parameters.validate()
        let matrix = data.interactions
        guard matrix.nonzeroCount > 0, matrix.rowCount > 0, matrix.columnCount > 0 else {
            throw .emptyTrainingData(kind: .svd)
        }
        try cancellation?.check(.svd)
        let decomposition: RandomizedSVD
        do {
            decomposition = try RandomizedSVD(
                matrix, rank: parameters.factors, oversamples: parameters.oversamples,
                powerIterations: parameters.powerIterations, seed: seed
            ) { !(cancellation?.isCancelled ?? false) }
        } catch .stopped {
            throw .cancelled(kind: .svd)
        } catch {
            throw .decompositionFailed(kind: .svd, reason: "the dense SVD of the sketch did not converge")
        }
        var items = decomposition.v
        let rank = decomposition.singularValues.count
        for item in 0..<items.rowCount {
            for component in 0..<rank { items[item, component] *= decomposition.singularValues[component] }
        }
        guard decomposition.u.isFinite, items.isFinite else { throw .nonFiniteFactors(kind: .svd) }
        return SVD(userFactors: decomposition.u, itemFactors: items, singularValues: decomposition.singularValues)
    }
}
