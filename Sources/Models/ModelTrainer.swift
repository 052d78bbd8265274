import LinearAlgebra

/// Fits any model kind through one entry point.
package enum ModelTrainer {
    /// Trains a `kind` model on `data` with `parameters` (the struct for `kind` is used) and `seed`.
    ///
    /// Throws `ModelError.emptyTrainingData` when there is nothing to learn from, `.missingItemDocuments` when
    /// the content model gets no documents (it needs no events), `.missingRatings` when `mf` gets no ratings, `.missingRelations` when `pairmf` gets no relations (it needs no events either), `.invalidParameter` for out-of-range
    /// hyper-parameters, `.nonFiniteFactors` / `.solverFailed` when training diverges, and `.cancelled` when
    /// `cancellation` is set before or during an iterative fit. `observer` sees the model after every epoch of the
    /// iterative fits (ALS, BPR, MF, pair MF, autoencoder, sequence, mlp); the other kinds never call it.
    package static func fit(
        _ kind: ModelKind, on data: TrainingData, parameters: ModelParameters = .init(), seed: UInt64,
        cancellation: TrainingCancellation? = nil, observer: EpochObserver? = nil
    ) throws(ModelError) -> any Recommender {
        try cancellation?.check(kind)
        let matrix = data.interactions
        let hasEvents = matrix.nonzeroCount > 0 && matrix.rowCount > 0 && matrix.columnCount > 0
        guard hasEvents || kind == .content || kind == .pairmf else { throw .emptyTrainingData(kind: kind) }
        switch kind {
        case .popular:
            return Popular.fit(data, parameters: parameters.popular)
        case .trending:
            return try Trending.fit(data, parameters: parameters.trending)
        case .itemknn:
            return try ItemKNN.fit(data, parameters: parameters.itemKNN)
        case .als:
            return try ALS.fit(
                data, parameters: parameters.als, seed: seed, cancellation: cancellation, observer: observer)
        case .bpr:
            return try BPR.fit(
                data, parameters: parameters.bpr, seed: seed, cancellation: cancellation, observer: observer)
        case .content:
            return try ContentModel.fit(data, parameters: parameters.content)
        case .random:
            return UniformRandom.fit(data, seed: seed)
        case .softmax:
            return try SoftmaxPopularity.fit(data, parameters: parameters.softmax, seed: seed)
        case .ease:
            return try EASE.fit(data, parameters: parameters.ease, cancellation: cancellation)
        case .svd:
            return try SVD.fit(data, parameters: parameters.svd, seed: seed, cancellation: cancellation)
        case .mf:
            return try MF.fit(
                data, parameters: parameters.mf, seed: seed, cancellation: cancellation, observer: observer)
        case .pairmf:
            return try PairMF.fit(
                data, parameters: parameters.pairMF, seed: seed, cancellation: cancellation, observer: observer)
        case .markov:
            return try Markov.fit(data, parameters: parameters.markov)
        case .autoencoder:
            return try Autoencoder.fit(
                data, parameters: parameters.autoencoder, seed: seed, cancellation: cancellation, observer: observer)
        case .sequence:
            return try SequenceGRU.fit(
                data, parameters: parameters.sequence, seed: seed, cancellation: cancellation, observer: observer)
        case .mlp:
            return try MLP.fit(
                data, parameters: parameters.mlp, seed: seed, explicitTypes: parameters.mf.explicitTypes,
                cancellation: cancellation, observer: observer)
        }
    }
}
