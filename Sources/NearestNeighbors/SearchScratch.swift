import LinearAlgebra

/// The working memory of one search at a time: the visited set, the two queues, the normalised query, the
/// neighbours about to be scored and an output buffer. Kept in `HNSWIndex`'s pool (or by a build worker) and reused, so a search allocates nothing
/// per visited item.
final class SearchScratch {
    // Not Sendable: one search or one build worker uses it at a time; the pool hands it over under its lock.
    var visited: VisitedSet
    var candidates: CandidateQueue
    var results: ResultQueue
    /// The best items of the head scan (`NormHead`), then of the whole search.
    var best: ResultQueue
    /// The query as the search scores it (normalised for cosine).
    let query: UnsafeMutablePointer<Float>
    /// The unvisited ids of the list being expanded (2M), whose vectors are being fetched.
    let batch: UnsafeMutablePointer<UInt32>
    /// The results best first, or a build's candidate lists.
    private(set) var ordered: UnsafeMutablePointer<IndexedScore>
    private(set) var orderedCapacity: Int

    /// Scratch for an index of `count` items, `dimension` floats per vector and M `neighbours`, sized for
    /// searches `width` wide (it grows for wider ones).
    init(count: Int, dimension: Int, neighbours: Int, width: Int) {
        visited = VisitedSet(count: count)
        candidates = CandidateQueue(capacity: 2 * width)
        results = ResultQueue(capacity: width)
        best = ResultQueue(capacity: 16)
        query = .allocate(capacity: max(dimension, 1))
        batch = .allocate(capacity: 2 * neighbours)
        orderedCapacity = max(width, 16)
        ordered = .allocate(capacity: orderedCapacity)
    }

    deinit {
        visited.deallocate()
        candidates.deallocate()
        results.deallocate()
        best.deallocate()
        query.deallocate()
        batch.deallocate()
        ordered.deallocate()
    }

    /// Makes `ordered` hold at least `capacity` pairs (its content is lost when it grows).
    func reserveOrdered(_ capacity: Int) {
        guard capacity > orderedCapacity else { return }
        ordered.deallocate()
        orderedCapacity = capacity
        ordered = .allocate(capacity: capacity)
    }
}
