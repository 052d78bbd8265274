/// How an index scores an item against a query; a higher score is a better match.
package enum VectorMetric: UInt8, Sendable, CaseIterable, CustomStringConvertible {
    /// The inner product ⟨q, x⟩: what the matrix-factorisation models (ALS, BPR, SVD, MF) score, so the
    /// index answers maximum-inner-product search over their item factors.
    case innerProduct = 1
    /// Cosine similarity ⟨q, x⟩ / (‖q‖·‖x‖), for similar items and content vectors. The index stores the
    /// normalised vectors; a zero vector scores 0 against everything.
    case cosine = 2

    package var description: String {
        switch self {
        case .innerProduct: "inner product"
        case .cosine: "cosine"
        }
    }
}
