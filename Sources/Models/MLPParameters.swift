/// Hyper-parameters of `MLP` (PyTorch 101's "DenseNet"; He et al. 2017's MLP tower): user and item embeddings,
/// concatenated, through ReLU layers whose widths halve from `hidden`, to one output.
package struct MLPParameters: Sendable, Codable, Equatable {
    /// What the output means and which loss trains it.
    package enum Objective: String, Sendable, Codable, CaseIterable {
        /// An interaction probability: sigmoid output, binary cross-entropy on the observed pairs (label 1) and
        /// `negatives` uniformly drawn items per pair (label 0); trained on the interactions.
        case ranking
        /// A predicted rating `μ + b_u + b_i + output`, squared error on the explicit ratings (the ratings `mf`
        /// fits, `mf.explicit_types`).
        case rating
    }

    /// The objective. Default `.ranking`; `recsmith evaluate --task rating` sets `.rating`.
    package var objective: Objective
    /// Width of the user and of the item embedding (the first layer reads `2 · factors` values). 1…1024.
    /// Default 32.
    package var factors: Int
    /// Width of the first ReLU layer; each further layer is half as wide as the one before (at least 1). 1…4096.
    /// Default 64.
    package var hidden: Int
    /// Number of ReLU layers, 1…4. Default 2 (64 then 32 wide).
    package var layers: Int
    /// Passes over the training pairs or ratings. Default 20.
    package var epochs: Int
    /// Observed pairs (ranking; each brings its negatives along) or ratings per mini-batch. Default 256.
    package var batchSize: Int
    /// Adam's step size. Default 0.001.
    package var learningRate: Float
    /// Decoupled weight decay (AdamW) on the embeddings and weights, not the biases; embedding rows decay when a
    /// batch touches them (lazy Adam). Default 1: on ml-latest-small leave-last-out NDCG@10 0.0313 against 0.0270
    /// at 0 and 0.0280 at 3; without it the rating objective overfits after 8 epochs (5-fold RMSE 1.014 at 0, 0.892
    /// at 1, 0.872 at 3, the baseline's 0.872).
    package var weightDecay: Float
    /// Uniformly drawn negative items per observed pair (ranking). Default 4 (He et al. 2017).
    package var negatives: Int
    /// Workers the fit uses (0: one per core). Results do not depend on it.
    package var threads: Int

    /// Defaults unless given.
    package init(
        objective: Objective = .ranking, factors: Int = 32, hidden: Int = 64, layers: Int = 2, epochs: Int = 20,
        batchSize: Int = 256, learningRate: Float = 0.001, weightDecay: Float = 1, negatives: Int = 4, threads: Int = 0
    ) {
        self.objective = objective
        self.factors = factors
        self.hidden = hidden
        self.layers = layers
        self.epochs = epochs
        self.batchSize = batchSize
        self.learningRate = learningRate
        self.weightDecay = weightDecay
        self.negatives = negatives
        self.threads = threads
    }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = MLPParameters()
        objective = try container.decodeIfPresent(Objective.self, forKey: .objective) ?? defaults.objective
        factors = try container.decodeIfPresent(Int.self, forKey: .factors) ?? defaults.factors
        hidden = try container.decodeIfPresent(Int.self, forKey: .hidden) ?? defaults.hidden
        layers = try container.decodeIfPresent(Int.self, forKey: .layers) ?? defaults.layers
        epochs = try container.decodeIfPresent(Int.self, forKey: .epochs) ?? defaults.epochs
        batchSize = try container.decodeIfPresent(Int.self, forKey: .batchSize) ?? defaults.batchSize
        learningRate = try container.decodeIfPresent(Float.self, forKey: .learningRate) ?? defaults.learningRate
        weightDecay = try container.decodeIfPresent(Float.self, forKey: .weightDecay) ?? defaults.weightDecay
        negatives = try container.decodeIfPresent(Int.self, forKey: .negatives) ?? defaults.negatives
        threads = try container.decodeIfPresent(Int.self, forKey: .threads) ?? defaults.threads
    }

    /// The ReLU layers' widths: `hidden`, then halving, never below 1.
    package var hiddenWidths: [Int] {
        (0..<layers).map { max(1, hidden >> $0) }
    }

    /// Training examples per mini-batch: the observed pairs and, for ranking, their negatives.
    var examplesPerBatch: Int { objective == .ranking ? batchSize * (1 + negatives) : batchSize }

    func validate() throws(ModelError) {
        func invalid(_ name: String, _ value: some CustomStringConvertible, _ reason: String) -> ModelError {
            .invalidParameter(kind: .mlp, name: name, value: value.description, reason: reason)
        }
        guard (1...1024).contains(factors) else { throw invalid("factors", factors, "must be in 1…1024") }
        guard (1...4096).contains(hidden) else { throw invalid("hidden", hidden, "must be in 1…4096") }
        guard (1...4).contains(layers) else { throw invalid("layers", layers, "must be in 1…4") }
        guard epochs >= 1 else { throw invalid("epochs", epochs, "must be ≥ 1") }
        guard (1...65_536).contains(batchSize) else { throw invalid("batchSize", batchSize, "must be in 1…65536") }
        guard learningRate > 0, learningRate.isFinite else { throw invalid("learningRate", learningRate, "must be > 0") }
        guard weightDecay >= 0, weightDecay.isFinite else { throw invalid("weightDecay", weightDecay, "must be ≥ 0") }
        guard (1...100).contains(negatives) else { throw invalid("negatives", negatives, "must be in 1…100") }
        guard threads >= 0 else { throw invalid("threads", threads, "must be ≥ 0") }
    }
}
