import NeuralLayers

/// Hyper-parameters of `Autoencoder` (Mult-DAE, Liang et al. 2018; Recoder's mini-batch negative sampling).
package struct AutoencoderParameters: Sendable, Codable, Equatable {
    /// Width of the first tanh layer. 1…4096. Default 200 (Mult-DAE's bottleneck).
    package var hidden: Int
    /// Width of a second tanh layer after the first; 0 for none. Default 0.
    package var secondHidden: Int
    /// Passes over the users. Default 30.
    package var epochs: Int
    /// Users per mini-batch. Default 128.
    package var batchSize: Int
    /// Adam's step size. Default 0.003 (on ml-latest-small 0.001 needs twice the epochs for the same NDCG).
    package var learningRate: Float
    /// Share of a user's input items dropped in training (inverted dropout on the L2-normalised row), in [0, 1).
    /// Default 0.5 (Mult-DAE).
    package var dropout: Float
    /// Decoupled weight decay (AdamW) on the weights, not the biases. Default 0.
    package var weightDecay: Float
    /// Catalogues up to this many items train on the full softmax; larger ones on the batch's items plus
    /// `negatives` sampled items. Default 10,000 (measured in BENCHMARKS.md). 0: always sampled.
    package var fullSoftmaxItems: Int
    /// Negatives drawn per mini-batch for the sampled softmax. Default 1,000.
    package var negatives: Int
    /// How negatives are drawn (uniform, or by popularity^0.75); both are `log Q` corrected. Default uniform.
    package var sampling: CandidateSampler.Distribution
    /// Workers the fit uses (0: one per core). Results do not depend on it.
    package var threads: Int

    /// Defaults unless given.
    package init(
        hidden: Int = 200, secondHidden: Int = 0, epochs: Int = 30, batchSize: Int = 128, learningRate: Float = 0.003,
        dropout: Float = 0.5, weightDecay: Float = 0, fullSoftmaxItems: Int = 10_000, negatives: Int = 1000,
        sampling: CandidateSampler.Distribution = .uniform, threads: Int = 0
    ) {
        self.hidden = hidden
        self.secondHidden = secondHidden
        self.epochs = epochs
        self.batchSize = batchSize
        self.learningRate = learningRate
        self.dropout = dropout
        self.weightDecay = weightDecay
        self.fullSoftmaxItems = fullSoftmaxItems
        self.negatives = negatives
        self.sampling = sampling
        self.threads = threads
    }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = AutoencoderParameters()
        hidden = try container.decodeIfPresent(Int.self, forKey: .hidden) ?? defaults.hidden
        secondHidden = try container.decodeIfPresent(Int.self, forKey: .secondHidden) ?? defaults.secondHidden
        epochs = try container.decodeIfPresent(Int.self, forKey: .epochs) ?? defaults.epochs
        batchSize = try container.decodeIfPresent(Int.self, forKey: .batchSize) ?? defaults.batchSize
        learningRate = try container.decodeIfPresent(Float.self, forKey: .learningRate) ?? defaults.learningRate
        dropout = try container.decodeIfPresent(Float.self, forKey: .dropout) ?? defaults.dropout
        weightDecay = try container.decodeIfPresent(Float.self, forKey: .weightDecay) ?? defaults.weightDecay
        fullSoftmaxItems = try container.decodeIfPresent(Int.self, forKey: .fullSoftmaxItems) ?? defaults.fullSoftmaxItems
        negatives = try container.decodeIfPresent(Int.self, forKey: .negatives) ?? defaults.negatives
        sampling = try container.decodeIfPresent(CandidateSampler.Distribution.self, forKey: .sampling) ?? defaults.sampling
        threads = try container.decodeIfPresent(Int.self, forKey: .threads) ?? defaults.threads
    }

    /// Whether a catalogue of `itemCount` items trains on the full softmax.
    package func usesFullSoftmax(itemCount: Int) -> Bool { itemCount <= fullSoftmaxItems }

    func validate() throws(ModelError) {
        func invalid(_ name: String, _ value: Any, _ reason: String) -> ModelError {
            .invalidParameter(kind: .autoencoder, name: name, value: "\(value)", reason: reason)
        }
        guard (1...4096).contains(hidden) else { throw invalid("hidden", hidden, "must be in 1…4096") }
        guard (0...4096).contains(secondHidden) else { throw invalid("secondHidden", secondHidden, "must be in 0…4096") }
        guard epochs >= 1 else { throw invalid("epochs", epochs, "must be ≥ 1") }
        guard (1...65_536).contains(batchSize) else { throw invalid("batchSize", batchSize, "must be in 1…65536") }
        guard learningRate > 0, learningRate.isFinite else { throw invalid("learningRate", learningRate, "must be > 0") }
        guard dropout >= 0, dropout < 1 else { throw invalid("dropout", dropout, "must be in [0, 1)") }
        guard weightDecay >= 0, weightDecay.isFinite else { throw invalid("weightDecay", weightDecay, "must be ≥ 0") }
        guard fullSoftmaxItems >= 0 else { throw invalid("fullSoftmaxItems", fullSoftmaxItems, "must be ≥ 0") }
        guard negatives >= 1 else { throw invalid("negatives", negatives, "must be ≥ 1") }
        guard threads >= 0 else { throw invalid("threads", threads, "must be ≥ 0") }
    }
}
