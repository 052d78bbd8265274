import Models
import NearestNeighbors

/// Which trained models get an HNSW index over their item factors (`serving.index`, `serving.index_threshold`,
/// `serving.index_models`, `hnsw.*`), so their recommendations search a graph instead of scoring every item — and
/// their similar items too: a second, cosine index for the models whose similar items are cosines of item vectors
/// (als, bpr, svd, autoencoder), the inner-product one for sequence's next items.
package struct ModelIndexing: Sendable, Equatable {
    /// Whether models are served from an index.
    package enum Mode: String, CaseIterable, Sendable {
        /// Every item scored (one sgemv per request).
        case exact
        /// An HNSW index for every model that has item factors (als, bpr, svd, autoencoder, sequence).
        case hnsw
        /// `hnsw` above `threshold` items, `exact` at or below.
        case auto
    }

    /// The mode of every model without an override.
    package var mode: Mode = .auto
    /// Items above which `auto` indexes a model.
    package var threshold = 50_000
    /// Per-model modes, overriding `mode`.
    package var overrides: [ModelKind: Mode] = [:]
    /// The graph's parameters.
    package var parameters = HNSWParameters()

    package init() {}

    /// Whether `kind`, fitted over `itemCount` items, is served from an index.
    package func indexes(_ kind: ModelKind, itemCount: Int) -> Bool {
        switch overrides[kind] ?? mode {
        case .exact: false
        case .hnsw: true
        case .auto: itemCount > threshold
        }
    }
}
