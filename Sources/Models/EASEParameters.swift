/// Hyper-parameters of `EASE` (Steck 2019).
package struct EASEParameters: Sendable, Codable, Equatable {
    /// `λ`, added to the diagonal of the item Gram matrix XᵀX before it is inverted. Must be > 0. Default 500
    /// (Steck's value for MovieLens-20M; it grows with the number of users, so tune it per data set).
    package var regularization: Float
    /// Most items the model covers: the most-interacted ones (ties: smaller index). The dense item × item
    /// matrix takes `4·n²` bytes and its inverse `n³` flops, so this caps memory and time; other items are
    /// never recommended by EASE. Default 30,000 (3.6 GB).
    package var maxItems: Int

    /// Defaults unless given.
    package init(regularization: Float = 500, maxItems: Int = 30_000) {
        self.regularization = regularization
        self.maxItems = maxItems
    }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = EASEParameters()
        regularization = try container.decodeIfPresent(Float.self, forKey: .regularization) ?? defaults.regularization
        maxItems = try container.decodeIfPresent(Int.self, forKey: .maxItems) ?? defaults.maxItems
    }

    func validate() throws(ModelError) {
        guard regularization > 0, regularization.isFinite else {
            throw .invalidParameter(
                kind: .ease, name: "regularization", value: "\(regularization)", reason: "must be > 0 and finite")
        }
        guard maxItems >= 1 else {
            throw .invalidParameter(kind: .ease, name: "maxItems", value: "\(maxItems)", reason: "must be ≥ 1")
        }
    }
}
