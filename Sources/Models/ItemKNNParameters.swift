/// Hyper-parameters of `ItemKNN`.
package struct ItemKNNParameters: Sendable, Codable, Equatable {
    /// How interaction values are weighted before item–item dot products (the item columns of the
    /// users × items matrix are the vectors compared).
    package enum Weighting: String, Sendable, Codable, CaseIterable {
        /// Cosine: each item column is L2-normalised, so the dot product is the cosine (implicit's
        /// `CosineRecommender`, the evaluation setting).
        case cosine
        /// TF-IDF: `w = sqrt(x) · log(I / (1 + n_u))` with `I` items and `n_u` the user's item count, then each
        /// item column L2-normalised (implicit's `TFIDFRecommender`).
        case tfidf
        /// BM25: `w = x · (K1 + 1) / (K1 · L_i + x) · log(I / (1 + n_u))` with item length norm
        /// `L_i = 1 − B + B · s_i / mean(s)`, `s_i` the item's summed values; not normalised
        /// (implicit's `BM25Recommender`).
        case bm25
    }

    /// Rows kept per item, the item itself included (so `neighbors − 1` true neighbours). Default 100.
    package var neighbors: Int
    /// Value weighting. Default `.cosine`.
    package var weighting: Weighting
    /// BM25 term-frequency saturation `K1`. Default 1.2 (used only with `.bm25`).
    package var bm25K1: Double
    /// BM25 length normalisation `B` in [0, 1]. Default 0.75 (used only with `.bm25`).
    package var bm25B: Double

    /// Defaults unless given.
    package init(neighbors: Int = 100, weighting: Weighting = .cosine, bm25K1: Double = 1.2, bm25B: Double = 0.75) {
        self.neighbors = neighbors
        self.weighting = weighting
        self.bm25K1 = bm25K1
        self.bm25B = bm25B
    }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = ItemKNNParameters()
        neighbors = try container.decodeIfPresent(Int.self, forKey: .neighbors) ?? defaults.neighbors
        weighting = try container.decodeIfPresent(Weighting.self, forKey: .weighting) ?? defaults.weighting
        bm25K1 = try container.decodeIfPresent(Double.self, forKey: .bm25K1) ?? defaults.bm25K1
        bm25B = try container.decodeIfPresent(Double.self, forKey: .bm25B) ?? defaults.bm25B
    }

    func validate() throws(ModelError) {
        guard neighbors >= 1 else {
            throw .invalidParameter(kind: .itemknn, name: "neighbors", value: "\(neighbors)", reason: "must be ≥ 1")
        }
        guard bm25K1 >= 0, bm25K1.isFinite else {
            throw .invalidParameter(kind: .itemknn, name: "bm25K1", value: "\(bm25K1)", reason: "must be ≥ 0")
        }
        guard bm25B >= 0, bm25B <= 1 else {
            throw .invalidParameter(kind: .itemknn, name: "bm25B", value: "\(bm25B)", reason: "must be in [0, 1]")
        }
    }
}
