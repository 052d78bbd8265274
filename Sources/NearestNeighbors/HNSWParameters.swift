/// How an HNSW index is built and searched. Stored in the index file, so a loaded index searches as it was
/// built to; `search` can still override the width per call.
package struct HNSWParameters: Sendable, Equatable {
    /// M of the paper: the links each item keeps on the upper layers (twice as many on the bottom layer) and
    /// the links a new item gets on each layer. More links raise recall at a given width and cost memory
    /// (8·M bytes per item on the bottom layer) and build time. 2…512, default 16.
    package var neighbours: Int = 16
    /// efConstruction: the width of the search that finds a new item's neighbours while building. Wider builds
    /// a better graph, more slowly. At least `neighbours` is used. 1…100,000, default 200.
    package var constructionWidth: Int = 200
    /// ef: the width of a query's bottom-layer search (the number of candidates kept), unless a search names
    /// its own; at least the number of items asked for is used. 1…100,000, default 100: recall@10 ≥ 0.95 on
    /// the benchmark's million-item set (BENCHMARKS.md, section hnsw).
    package var searchWidth: Int = 100
    /// Bounds a query's bottom-layer search: it gives up and scores every item the predicate passes instead
    /// once it has scored more than this fraction of the items (or 2M·width items, if more: about what a walk
    /// that width costs without a predicate), or has scored a quarter of that and the share of passing items
    /// it met says it would. A predicate that passes few items makes the walk long; the scan then costs about
    /// as much or less, and is exact. (0, 1], default 0.1.
    package var fallbackFraction: Double = 0.1
    /// Seeds the layer each item is drawn on. Builds on one thread are reproducible from it; parallel builds
    /// keep the layers but may link differently from run to run.
    package var seed: UInt64 = 1

    /// The defaults.
    package init() {}

    /// Parameters with every field named.
    package init(neighbours: Int = 16, constructionWidth: Int = 200, searchWidth: Int = 100, fallbackFraction: Double = 0.1, seed: UInt64 = 1) {
        self.neighbours = neighbours
        self.constructionWidth = constructionWidth
        self.searchWidth = searchWidth
        self.fallbackFraction = fallbackFraction
        self.seed = seed
    }

    /// Throws `invalidParameter` for the first field outside its range.
    package func validate() throws(NearestNeighborsError) {
        guard (2...512).contains(neighbours) else {
            throw .invalidParameter(name: "neighbours", value: "\(neighbours)", range: "2…512")
        }
        guard (1...100_000).contains(constructionWidth) else {
            throw .invalidParameter(name: "constructionWidth", value: "\(constructionWidth)", range: "1…100000")
        }
        guard (1...100_000).contains(searchWidth) else {
            throw .invalidParameter(name: "searchWidth", value: "\(searchWidth)", range: "1…100000")
        }
        guard fallbackFraction > 0, fallbackFraction <= 1 else {
            throw .invalidParameter(name: "fallbackFraction", value: "\(fallbackFraction)", range: "(0, 1]")
        }
    }
}
