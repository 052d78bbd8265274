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
    /// EASE: closed-form item × item weights (Steck 2019), λ 500, at most 30,000 items.
    case ease
    /// Truncated SVD by randomized range finding: `--factors` triplets, 2 power iterations.
    case svd

    /// The protocol's default model list, in this order (`content` needs item records, so it is asked for by name).
    package static let defaultList: [EvaluatedModel] = [.pop, .itemknn, .als, .bpr, .trending]

    /// Whether the model reads item documents (`--items`).
    package var needsItemDocuments: Bool { self == .content }

    /// The trainer's model kind (`pop` is ``ModelKind/popular``).
    package var kind: ModelKind {
        switch self {
        case .pop: .popular
        case .itemknn: .itemknn
        case .als: .als
        case .bpr: .bpr
        case .trending: .trending
        case .content: .content
        case .ease: .ease
        case .svd: .svd
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
