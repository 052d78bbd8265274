/// Hyper-parameters of `SVD` (truncated SVD by randomized range finding).
package struct SVDParameters: Sendable, Codable, Equatable {
    /// Singular triplets kept (the latent dimension). Default 64.
    package var factors: Int
    /// Power iterations of the range finder, each one product with X and one with Xᵀ, re-orthonormalised.
    /// More sharpen the leading directions when the spectrum decays slowly. Default 2.
    package var powerIterations: Int
    /// Extra sketch columns beyond `factors` (Halko et al.'s `p`; scikit-learn's `n_oversamples`). Default 10.
    package var oversamples: Int

    /// Defaults unless given.
    package init(factors: Int = 64, powerIterations: Int = 2, oversamples: Int = 10) {
        self.factors = factors
        self.powerIterations = powerIterations
        self.oversamples = oversamples
    }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = SVDParameters()
        factors = try container.decodeIfPresent(Int.self, forKey: .factors) ?? defaults.factors
        powerIterations = try container.decodeIfPresent(Int.self, forKey: .powerIterations) ?? defaults.powerIterations
        oversamples = try container.decodeIfPresent(Int.self, forKey: .oversamples) ?? defaults.oversamples
    }

    func validate() throws(ModelError) {
        func invalid(_ name: String, _ value: Int, _ reason: String) -> ModelError {
            .invalidParameter(kind: .svd, name: name, value: "\(value)", reason: reason)
        }
        guard factors >= 1 else { throw invalid("factors", factors, "must be ≥ 1") }
        guard powerIterations >= 0 else { throw invalid("powerIterations", powerIterations, "must be ≥ 0") }
        guard oversamples >= 0 else { throw invalid("oversamples", oversamples, "must be ≥ 0") }
    }
}
