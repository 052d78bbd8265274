/// Hyper-parameters of `ContentModel`.
package struct ContentParameters: Sendable, Codable, Equatable {
    /// How a term's count in a document becomes its weight (before the kind multiplier and L2 normalisation).
    package enum Weighting: String, Sendable, Codable, CaseIterable {
        /// `(1 + ln tf) · idf` with `idf = ln((1 + N) / (1 + df)) + 1` (sublinear tf, smoothed idf as in
        /// scikit-learn); `N` documents, `df` of them holding the term.
        case tfidf
        /// BM25 with `k1 = 1.2`, `b = 0.75`: `idf · tf · (k1 + 1) / (tf + k1 · (1 − b + b · dl / avgdl))` with
        /// `idf = ln(1 + (N − df + 0.5) / (df + 0.5))` (Lucene's, never negative); `dl` is the document's term count.
        case bm25
    }

    /// Term weighting. Default `.tfidf`.
    package var weighting: Weighting
    /// Half-life of an item's pull on the user profile, in seconds: an item last seen one half-life before
    /// the query's reference time counts half. Default 30 days.
    package var halfLifeSeconds: Double
    /// Multiplier of category terms. Default 1.
    package var categoryWeight: Float
    /// Multiplier of label terms. Default 0.5.
    package var labelWeight: Float
    /// Multiplier of text words. Default 0.5.
    package var textWeight: Float

    /// Defaults unless given. The kind weights come from MovieLens and the synthetic catalogue
    /// (docs/EVALUATION.md §6): categories lead, text words count half (without them MovieLens NDCG drops by
    /// half; at full weight a title word outweighs the genres and only 78% of similar movies share a genre, 94%
    /// at half), labels count half (no data set told them apart from categories).
    package init(
        weighting: Weighting = .tfidf, halfLifeSeconds: Double = 30 * 86_400, categoryWeight: Float = 1,
        labelWeight: Float = 0.5, textWeight: Float = 0.5
    ) {
        self.weighting = weighting
        self.halfLifeSeconds = halfLifeSeconds
        self.categoryWeight = categoryWeight
        self.labelWeight = labelWeight
        self.textWeight = textWeight
    }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = ContentParameters()
        weighting = try container.decodeIfPresent(Weighting.self, forKey: .weighting) ?? defaults.weighting
        halfLifeSeconds = try container.decodeIfPresent(Double.self, forKey: .halfLifeSeconds) ?? defaults.halfLifeSeconds
        categoryWeight = try container.decodeIfPresent(Float.self, forKey: .categoryWeight) ?? defaults.categoryWeight
        labelWeight = try container.decodeIfPresent(Float.self, forKey: .labelWeight) ?? defaults.labelWeight
        textWeight = try container.decodeIfPresent(Float.self, forKey: .textWeight) ?? defaults.textWeight
    }

    /// The multiplier of terms of `kind`.
    package func weight(of kind: ContentTerm.Kind) -> Float {
        switch kind {
        case .category: categoryWeight
        case .label: labelWeight
        case .text: textWeight
        }
    }

    /// Kinds with weight 0: they are not even tokenized.
    var ignoredKinds: Set<ContentTerm.Kind> {
        Set(ContentTerm.Kind.allCases.filter { weight(of: $0) == 0 })
    }

    func validate() throws(ModelError) {
        guard halfLifeSeconds > 0, halfLifeSeconds.isFinite else {
            throw .invalidParameter(
                kind: .content, name: "halfLifeSeconds", value: "\(halfLifeSeconds)", reason: "must be positive")
        }
        for (name, value) in [("categoryWeight", categoryWeight), ("labelWeight", labelWeight), ("textWeight", textWeight)] {
            guard value >= 0, value.isFinite else {
                throw .invalidParameter(kind: .content, name: name, value: "\(value)", reason: "must be ≥ 0")
            }
        }
        guard categoryWeight + labelWeight + textWeight > 0 else {
            throw .invalidParameter(
                kind: .content, name: "categoryWeight", value: "\(categoryWeight)",
                reason: "at least one of categoryWeight, labelWeight and textWeight must be positive")
        }
    }
}
