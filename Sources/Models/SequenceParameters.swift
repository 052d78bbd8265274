/// Hyper-parameters of `SequenceGRU` (a GRU4Rec-style recurrent next-item model).
package struct SequenceParameters: Sendable, Codable, Equatable {
    /// Width of the item embeddings, the GRU's state and the output projection (one width, since the output
    /// layer reuses the input embeddings). 1…1024. Default 64.
    package var hidden: Int
    /// Passes over every training window. Default 10.
    package var epochs: Int
    /// Windows (parallel sequences) per mini-batch. 1…4096. Default 64.
    package var batchSize: Int
    /// Steps of backpropagation through time: a user's history is cut, from its latest item back, into windows of
    /// this many inputs, each run from a zero state; serving runs the latest `window` items the same way.
    /// 1…1000. Default 20.
    package var window: Int
    /// Adam's step size. Default 0.005.
    package var learningRate: Float
    /// Negatives drawn per mini-batch by popularity^0.75, besides the batch's own next items (all `log Q`
    /// corrected). ≥ 0. Default 500.
    package var negatives: Int
    /// Workers the fit uses (0: one per core). Results do not depend on it.
    package var threads: Int

    /// Defaults unless given.
    package init(
        hidden: Int = 64, epochs: Int = 10, batchSize: Int = 64, window: Int = 20, learningRate: Float = 0.005,
        negatives: Int = 500, threads: Int = 0
    ) {
        self.hidden = hidden
        self.epochs = epochs
        self.batchSize = batchSize
        self.window = window
        self.learningRate = learningRate
        self.negatives = negatives
        self.threads = threads
    }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = SequenceParameters()
        hidden = try container.decodeIfPresent(Int.self, forKey: .hidden) ?? defaults.hidden
        epochs = try container.decodeIfPresent(Int.self, forKey: .epochs) ?? defaults.epochs
        batchSize = try container.decodeIfPresent(Int.self, forKey: .batchSize) ?? defaults.batchSize
        window = try container.decodeIfPresent(Int.self, forKey: .window) ?? defaults.window
        learningRate = try container.decodeIfPresent(Float.self, forKey: .learningRate) ?? defaults.learningRate
        negatives = try container.decodeIfPresent(Int.self, forKey: .negatives) ?? defaults.negatives
        threads = try container.decodeIfPresent(Int.self, forKey: .threads) ?? defaults.threads
    }

    func validate() throws(ModelError) {
        func invalid(_ name: String, _ value: Any, _ reason: String) -> ModelError {
            .invalidParameter(kind: .sequence, name: name, value: "\(value)", reason: reason)
        }
        guard (1...1024).contains(hidden) else { throw invalid("hidden", hidden, "must be in 1…1024") }
        guard epochs >= 1 else { throw invalid("epochs", epochs, "must be ≥ 1") }
        guard (1...4096).contains(batchSize) else { throw invalid("batchSize", batchSize, "must be in 1…4096") }
        guard (1...1000).contains(window) else { throw invalid("window", window, "must be in 1…1000") }
        guard learningRate > 0, learningRate.isFinite else { throw invalid("learningRate", learningRate, "must be > 0") }
        guard negatives >= 0 else { throw invalid("negatives", negatives, "must be ≥ 0") }
        guard threads >= 0 else { throw invalid("threads", threads, "must be ≥ 0") }
    }
}
