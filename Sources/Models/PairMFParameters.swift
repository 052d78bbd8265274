/// Hyper-parameters of `PairMF` (item embeddings from relations, the product-graph post's baseline).
package struct PairMFParameters: Sendable, Codable, Equatable {
    /// Embedding dimension. Default 32.
    package var factors: Int
    /// SGD step size. Default 0.1.
    package var learningRate: Float
    /// L2 penalty on the embeddings and biases touched by each step. Default 0.002.
    package var regularization: Float
    /// Negative items drawn per positive pair (∝ how often an item appears in pairs). Default 5.
    package var negatives: Int
    /// Epochs; each draws as many positives as there are pairs. Default 30.
    package var epochs: Int
    /// Learn a bias per item, so score = σ(b_i + b_j + e_i·e_j); false: σ(e_i·e_j). Default true.
    package var biases: Bool
    /// Hogwild worker threads (0: one per processor). Default 2; only 1 is bit-for-bit reproducible.
    package var threads: Int

    /// Defaults unless given.
    package init(
        factors: Int = 32, learningRate: Float = 0.1, regularization: Float = 0.002, negatives: Int = 5, epochs: Int = 30,
        biases: Bool = true, threads: Int = 2
    ) {
        self.factors = factors
        self.learningRate = learningRate
        self.regularization = regularization
        self.negatives = negatives
        self.epochs = epochs
        self.biases = biases
        self.threads = threads
    }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = PairMFParameters()
        factors = try container.decodeIfPresent(Int.self, forKey: .factors) ?? defaults.factors
        learningRate = try container.decodeIfPresent(Float.self, forKey: .learningRate) ?? defaults.learningRate
        regularization = try container.decodeIfPresent(Float.self, forKey: .regularization) ?? defaults.regularization
        negatives = try container.decodeIfPresent(Int.self, forKey: .negatives) ?? defaults.negatives
        epochs = try container.decodeIfPresent(Int.self, forKey: .epochs) ?? defaults.epochs
        biases = try container.decodeIfPresent(Bool.self, forKey: .biases) ?? defaults.biases
        threads = try container.decodeIfPresent(Int.self, forKey: .threads) ?? defaults.threads
    }

    func validate() throws(ModelError) {
        func invalid(_ name: String, _ value: some CustomStringConvertible, _ reason: String) -> ModelError {
            .invalidParameter(kind: .pairmf, name: name, value: value.description, reason: reason)
        }
        guard (1...1024).contains(factors) else { throw invalid("factors", factors, "must be from 1 to 1024") }
        guard learningRate > 0, learningRate.isFinite else { throw invalid("learningRate", learningRate, "must be > 0") }
        guard regularization >= 0, regularization.isFinite else { throw invalid("regularization", regularization, "must be ≥ 0") }
        guard (0...100).contains(negatives) else { throw invalid("negatives", negatives, "must be from 0 to 100") }
        guard epochs >= 0 else { throw invalid("epochs", epochs, "must be ≥ 0") }
        guard threads >= 0 else { throw invalid("threads", threads, "must be ≥ 0") }
    }
}
