/// Hyper-parameters of `BPR` (Rendle et al. 2009, with implicit's sampling; docs/EVALUATION.md §6).
package struct BPRParameters: Sendable, Codable, Equatable {
    /// Latent dimension, not counting the item-bias column. Default 64.
    package var factors: Int
    /// SGD step size. Default 0.01.
    package var learningRate: Float
    /// L2 penalty on the vectors touched by each step. Default 0.01.
    package var regularization: Float
    /// Epochs; each draws as many samples as there are training pairs. Default 100.
    package var epochs: Int
    /// Skip (not redraw) a sampled negative the user already has. Default true.
    package var verifyNegativeSamples: Bool
    /// Hogwild worker threads, each with its own generator seeded from the seed; 0 means one per processor.
    /// Default 2. Only `threads == 1` is bit-for-bit reproducible: with more, lock-free updates race and the
    /// result depends on scheduling (statistically equivalent, not identical).
    package var threads: Int

    /// Defaults unless given.
    package init(
        factors: Int = 64, learningRate: Float = 0.01, regularization: Float = 0.01, epochs: Int = 100,
        verifyNegativeSamples: Bool = true, threads: Int = 2
    ) {
        self.factors = factors
        self.learningRate = learningRate
        self.regularization = regularization
        self.epochs = epochs
        self.verifyNegativeSamples = verifyNegativeSamples
        self.threads = threads
    }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = BPRParameters()
        factors = try container.decodeIfPresent(Int.self, forKey: .factors) ?? defaults.factors
        learningRate = try container.decodeIfPresent(Float.self, forKey: .learningRate) ?? defaults.learningRate
        regularization = try container.decodeIfPresent(Float.self, forKey: .regularization) ?? defaults.regularization
        epochs = try container.decodeIfPresent(Int.self, forKey: .epochs) ?? defaults.epochs
        verifyNegativeSamples =
            try container.decodeIfPresent(Bool.self, forKey: .verifyNegativeSamples) ?? defaults.verifyNegativeSamples
        threads = try container.decodeIfPresent(Int.self, forKey: .threads) ?? defaults.threads
    }

    func validate() throws(ModelError) {
        func invalid(_ name: String, _ value: some CustomStringConvertible, _ reason: String) -> ModelError {
            .invalidParameter(kind: .bpr, name: name, value: value.description, reason: reason)
        }
        guard factors >= 1 else { throw invalid("factors", factors, "must be ≥ 1") }
        guard learningRate > 0, learningRate.isFinite else { throw invalid("learningRate", learningRate, "must be > 0") }
        guard regularization >= 0, regularization.isFinite else {
            throw invalid("regularization", regularization, "must be ≥ 0")
        }
        guard epochs >= 0 else { throw invalid("epochs", epochs, "must be ≥ 0") }
        guard threads >= 0 else { throw invalid("threads", threads, "must be ≥ 0") }
    }
}
