/// Hyper-parameters of implicit-feedback `ALS` (Hu, Koren & Volinsky 2008).
package struct ALSParameters: Sendable, Codable, Equatable {
    /// How an interaction's weight `w` becomes the confidence `c` of an observed pair (preference 1).
    /// Unobserved pairs have preference 0 and confidence 1. A negative `w` is a negative observation
    /// (preference 0) with confidence `|c|`, as in implicit.
    package enum Confidence: String, Sendable, Codable, CaseIterable {
        /// `c = α·w` — implicit's convention, used by `recsmith evaluate` (w = 1, so c = α).
        case scaled
        /// `c = 1 + α·w` — the paper's convention and the service default.
        case onePlusScaled
    }

    /// How each user's (item's) least-squares system is solved.
    package enum Solver: String, Sendable, Codable, CaseIterable {
        /// `cgSteps` conjugate-gradient steps warm-started from the previous factors (implicit's default).
        case conjugateGradient
        /// Exact solve by Cholesky factorisation (slower; a reference for tests and small data).
        case cholesky
    }

    /// Latent dimension. Default 64.
    package var factors: Int
    /// Sweeps over users then items. Default 15.
    package var iterations: Int
    /// `λ`, added as `λI` to every system (not scaled by counts). Default 0.05.
    package var regularization: Float
    /// `α` in the confidence. Default 10 (chosen on MovieLens 100K, see docs/EVALUATION.md §6).
    package var alpha: Float
    /// Confidence convention. Default `.onePlusScaled` (service); evaluation uses `.scaled`.
    package var confidence: Confidence
    /// Solver. Default `.conjugateGradient`.
    package var solver: Solver
    /// Conjugate-gradient steps per solve. Default 3.
    package var cgSteps: Int
    /// Worker threads; 0 (default) means one per processor. Results do not depend on it.
    package var threads: Int

    /// Defaults unless given.
    package init(
        factors: Int = 64, iterations: Int = 15, regularization: Float = 0.05, alpha: Float = 10,
        confidence: Confidence = .onePlusScaled, solver: Solver = .conjugateGradient, cgSteps: Int = 3,
        threads: Int = 0
    ) {
        self.factors = factors
        self.iterations = iterations
        self.regularization = regularization
        self.alpha = alpha
        self.confidence = confidence
        self.solver = solver
        self.cgSteps = cgSteps
        self.threads = threads
    }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = ALSParameters()
        factors = try container.decodeIfPresent(Int.self, forKey: .factors) ?? defaults.factors
        iterations = try container.decodeIfPresent(Int.self, forKey: .iterations) ?? defaults.iterations
        regularization = try container.decodeIfPresent(Float.self, forKey: .regularization) ?? defaults.regularization
        alpha = try container.decodeIfPresent(Float.self, forKey: .alpha) ?? defaults.alpha
        confidence = try container.decodeIfPresent(Confidence.self, forKey: .confidence) ?? defaults.confidence
        solver = try container.decodeIfPresent(Solver.self, forKey: .solver) ?? defaults.solver
        cgSteps = try container.decodeIfPresent(Int.self, forKey: .cgSteps) ?? defaults.cgSteps
        threads = try container.decodeIfPresent(Int.self, forKey: .threads) ?? defaults.threads
    }

    func validate() throws(ModelError) {
        func invalid(_ name: String, _ value: some CustomStringConvertible, _ reason: String) -> ModelError {
            .invalidParameter(kind: .als, name: name, value: value.description, reason: reason)
        }
        guard factors >= 1 else { throw invalid("factors", factors, "must be ≥ 1") }
        guard iterations >= 0 else { throw invalid("iterations", iterations, "must be ≥ 0") }
        guard regularization >= 0, regularization.isFinite else {
            throw invalid("regularization", regularization, "must be ≥ 0")
        }
        guard alpha >= 0, alpha.isFinite else { throw invalid("alpha", alpha, "must be ≥ 0") }
        guard cgSteps >= 1 else { throw invalid("cgSteps", cgSteps, "must be ≥ 1") }
        guard threads >= 0 else { throw invalid("threads", threads, "must be ≥ 0") }
    }
}
