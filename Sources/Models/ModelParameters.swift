/// Hyper-parameters of every model, one struct per algorithm, each with documented defaults.
///
/// Decoding accepts partial input: a missing model or field keeps its default.
package struct ModelParameters: Sendable, Codable, Equatable {
    /// Implicit ALS.
    package var als: ALSParameters
    /// BPR-MF.
    package var bpr: BPRParameters
    /// Item-based k-nearest neighbours.
    package var itemKNN: ItemKNNParameters
    /// Time-decayed popularity.
    package var trending: TrendingParameters
    /// Popularity.
    package var popular: PopularParameters
    /// Content-based (item documents).
    package var content: ContentParameters
    /// Popularity sampled with a temperature.
    package var softmax: SoftmaxParameters
    /// EASE (closed-form item × item weights).
    package var ease: EASEParameters
    /// Truncated SVD.
    package var svd: SVDParameters
    /// Explicit-rating matrix factorisation.
    package var mf: MFParameters
    /// Item embeddings from relations.
    package var pairMF: PairMFParameters
    /// Item → next-item transitions.
    package var markov: MarkovParameters
    /// The multinomial denoising autoencoder.
    package var autoencoder: AutoencoderParameters
    /// The recurrent next-item model.
    package var sequence: SequenceParameters
    /// User and item embeddings through ReLU layers.
    package var mlp: MLPParameters

    /// Every model at its defaults unless given.
    package init(
        als: ALSParameters = .init(), bpr: BPRParameters = .init(), itemKNN: ItemKNNParameters = .init(),
        trending: TrendingParameters = .init(), popular: PopularParameters = .init(), content: ContentParameters = .init(),
        softmax: SoftmaxParameters = .init(), ease: EASEParameters = .init(), svd: SVDParameters = .init(),
        mf: MFParameters = .init(),
        pairMF: PairMFParameters = .init(), markov: MarkovParameters = .init(),
        autoencoder: AutoencoderParameters = .init(), sequence: SequenceParameters = .init(), mlp: MLPParameters = .init()
    ) {
        self.als = als
        self.bpr = bpr
        self.itemKNN = itemKNN
        self.trending = trending
        self.popular = popular
        self.content = content
        self.softmax = softmax
        self.ease = ease
        self.svd = svd
        self.mf = mf
        self.pairMF = pairMF
        self.markov = markov
        self.autoencoder = autoencoder
        self.sequence = sequence
        self.mlp = mlp
    }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = ModelParameters()
        als = try container.decodeIfPresent(ALSParameters.self, forKey: .als) ?? defaults.als
        bpr = try container.decodeIfPresent(BPRParameters.self, forKey: .bpr) ?? defaults.bpr
        itemKNN = try container.decodeIfPresent(ItemKNNParameters.self, forKey: .itemKNN) ?? defaults.itemKNN
        trending = try container.decodeIfPresent(TrendingParameters.self, forKey: .trending) ?? defaults.trending
        popular = try container.decodeIfPresent(PopularParameters.self, forKey: .popular) ?? defaults.popular
        content = try container.decodeIfPresent(ContentParameters.self, forKey: .content) ?? defaults.content
        softmax = try container.decodeIfPresent(SoftmaxParameters.self, forKey: .softmax) ?? defaults.softmax
        ease = try container.decodeIfPresent(EASEParameters.self, forKey: .ease) ?? defaults.ease
        svd = try container.decodeIfPresent(SVDParameters.self, forKey: .svd) ?? defaults.svd
        mf = try container.decodeIfPresent(MFParameters.self, forKey: .mf) ?? defaults.mf
        pairMF = try container.decodeIfPresent(PairMFParameters.self, forKey: .pairMF) ?? defaults.pairMF
        markov = try container.decodeIfPresent(MarkovParameters.self, forKey: .markov) ?? defaults.markov
        autoencoder = try container.decodeIfPresent(AutoencoderParameters.self, forKey: .autoencoder) ?? defaults.autoencoder
        sequence = try container.decodeIfPresent(SequenceParameters.self, forKey: .sequence) ?? defaults.sequence
        mlp = try container.decodeIfPresent(MLPParameters.self, forKey: .mlp) ?? defaults.mlp
    }

    /// The parameters used by `recsmith evaluate` (docs/EVALUATION.md §6): ALS with implicit's confidence
    /// convention `c = α·w`, everything else at its defaults, `factors` for ALS, BPR and SVD.
    package static func evaluation(factors: Int = 64) -> ModelParameters {
        var parameters = ModelParameters()
        parameters.als.factors = factors
        parameters.als.confidence = .scaled
        parameters.bpr.factors = factors
        parameters.svd.factors = factors
        return parameters
    }
}
