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
    /// its own; at least the number of items asked for is used. 1…100,000, default 50: with the head
    /// (`headCount`), recall@10 0.989 on ALS factors of a million items and 0.981 on planted clusters, against
    /// 0.991 and 0.987 at ef 100 for a walk of twice the cost (BENCHMARKS.md, section hnsw).
    package var searchWidth: Int = 50
    /// Bounds a query's bottom-layer search: it gives up and scores every item the predicate passes instead
    /// once it has scored more than this fraction of the items (or 4·2M·width, if more: four times what a walk
    /// that wide costs without a predicate), or as soon as the share of passing items it meets says it would.
    /// A predicate that passes few items makes the walk long, and its recall poor (a filter passing 1% of a
    /// million items: recall@10 0.70 at ef 100 in 10 ms, hnswlib's filter does the same); a scan of the passing
    /// items then costs less and is exact (4 ms). On a million items an item scored on the walk costs about 95 ns
    /// and the scan about 4 ns per item it tests, so the two cost the same for a predicate passing about 4%;
    /// with 0.05 (M 16, ef 100) the walk gives way below about 6%. (0, 1], default 0.05.
    package var fallbackFraction: Double = 0.05
    /// Inner product only: how many items of largest norm the index keeps apart, in a block of their own, and
    /// scores exactly before it walks the graph. The best inner products of factor models go to few items —
    /// the popular ones, whose factors are long: on ALS factors of a million items (5M synthetic events) 97.7%
    /// of every exact top 10 lies among the 2,048 longest vectors, where the graph walk alone found 88% at ef
    /// 100. The scan goes longest first and stops as soon as its k-th best score beats ‖q‖ times the next norm
    /// (no item left can reach it: Cauchy–Schwarz), and then the answer is exact without the graph. A build
    /// keeps min(this, items); a cosine index none. 0…1,000,000, default 2,048.
    package var headCount: Int = 2048
    /// Seeds the layer each item is drawn on. Builds on one thread are reproducible from it; parallel builds
    /// keep the layers but may link differently from run to run.
    package var seed: UInt64 = 1

    /// The defaults.
    package init() {}

    /// Parameters with every field named.
    package init(
        neighbours: Int = 16, constructionWidth: Int = 200, searchWidth: Int = 50, fallbackFraction: Double = 0.05,
        headCount: Int = 2048, seed: UInt64 = 1
    ) {
        self.neighbours = neighbours
        self.constructionWidth = constructionWidth
        self.searchWidth = searchWidth
        self.fallbackFraction = fallbackFraction
        self.headCount = headCount
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
        guard (0...1_000_000).contains(headCount) else {
            throw .invalidParameter(name: "headCount", value: "\(headCount)", range: "0…1000000")
        }
    }
}
