import Foundation
import Models

/// The models `recsmith evaluate` can compare, by their protocol names (docs/EVALUATION.md §6).
package enum EvaluatedModel: String, CaseIterable, Sendable {
    /// Popularity: the number of train users of each item.
    case pop
    /// Item-based cosine k-nearest neighbours (K = 100, the item itself included).
    case itemknn
    /// Implicit ALS with implicit's confidence convention `c = α`.
    case als
    /// BPR-MF with an item bias, implicit's sampling.
    case bpr
    /// Time-decayed popularity with a 7-day half-life.
    case trending
    /// Content-based: cosine between item documents and the user's time-decayed profile; needs `--items`.
    case content
    /// Uniformly random unseen items, the floor.
    case random
    /// Popularity sampled with temperature τ among the K most popular items (recpack's randomised softmax).
    case softmax
    /// EASE: closed-form item × item weights (Steck 2019), λ 500, at most 30,000 items.
    case ease
    /// Truncated SVD by randomized range finding: `--factors` triplets, 2 power iterations.
    case svd
    /// First-order item → next-item transitions from the user's latest items.
    case markov
    /// The multinomial denoising autoencoder (Mult-DAE): full softmax up to 10,000 items, sampled above.
    case autoencoder
    /// The recurrent next-item model: a GRU over the user's latest items, output tied to the item embeddings.
    case sequence
    /// User and item embeddings through ReLU layers (PyTorch 101's DenseNet), binary cross-entropy with sampled
    /// negatives.
    case mlp

    /// The protocol's default model list, in this order (`content` needs item records, so it is asked for by name).
    package static let defaultList: [EvaluatedModel] = [.pop, .itemknn, .als, .bpr, .trending]

    /// Whether the model reads item documents (`--items`).
    package var needsItemDocuments: Bool { self == .content }

    /// Whether the model draws random numbers, so `--seeds` runs it once per seed (the others run once).
    package var isSeeded: Bool {
        switch self {
        case .als, .bpr, .random, .softmax, .svd, .autoencoder, .sequence, .mlp: true
        case .pop, .itemknn, .trending, .content, .ease, .markov: false
        }
    }

    /// Whether the model is fitted in epochs, so `--curve` can score it after each one.
    package var isIterative: Bool { [.als, .bpr, .autoencoder, .sequence, .mlp].contains(self) }

    /// How the model scores a user it never trained on, as reported under strong generalization (§9):
    /// `least-squares` (ALS solves the user's factor from the input against the fixed item factors),
    /// `mean-item-factors` (BPR's user vector is the mean of the input items' factors), `input-row` (item-kNN sums
    /// the input items' neighbour rows; EASE multiplies the input row by its weights), `projection` (SVD projects the
    /// input row onto its item factors), `input-profile` (content's decayed profile of the input items),
    /// `latest-items` (markov mixes the transitions of the input's latest items), `forward-pass` (the autoencoder
    /// encodes the input row), `recurrent-state` (the sequence model runs its GRU over the input's latest items),
    /// `gradient-steps` (the MLP fits the user's embedding to the input by Adam steps against the fixed network), or
    /// `not-personalised` (the input only masks items).
    package var foldIn: String {
        switch self {
        case .als: "least-squares"
        case .bpr: "mean-item-factors"
        case .itemknn, .ease: "input-row"
        case .svd: "projection"
        case .content: "input-profile"
        case .markov: "latest-items"
        case .autoencoder: "forward-pass"
        case .sequence: "recurrent-state"
        case .mlp: "gradient-steps"
        case .pop, .trending, .random, .softmax: "not-personalised"
        }
    }

    /// The trainer's model kind (`pop` is ``ModelKind/popular``).
    package var kind: ModelKind {
        switch self {
        case .pop: .popular
        case .itemknn: .itemknn
        case .als: .als
        case .bpr: .bpr
        case .trending: .trending
        case .content: .content
        case .random: .random
        case .softmax: .softmax
        case .ease: .ease
        case .svd: .svd
        case .markov: .markov
        case .autoencoder: .autoencoder
        case .sequence: .sequence
        case .mlp: .mlp
        }
    }

    /// Parses a comma-separated list such as `pop,als`; names are trimmed, duplicates kept once, and the
    /// trainer's name `popular` is accepted for `pop`.
    package static func parseList(_ text: String) throws(EvaluationError) -> [EvaluatedModel] {
        var models: [EvaluatedModel] = []
        for name in text.split(separator: ",") {
            let trimmed = name.trimmingCharacters(in: .whitespaces)
            guard let model = EvaluatedModel(rawValue: trimmed == "popular" ? "pop" : trimmed) else { throw .unknownModel(trimmed) }
            if !models.contains(model) { models.append(model) }
        }
        return models
    }
}
