import LinearAlgebra

/// The items of largest norm of an inner-product index, kept apart in a block of their own (`HNSWLayout`'s
/// head sections) and scanned exactly before the graph is walked (`HNSWParameters.headCount` says why).
///
/// The items are in order of norm, largest first; `norms` holds their norms and, after them, the largest norm
/// of every other item, so a scan at any position knows the most any item after it can score.
struct NormHead: @unchecked Sendable {
    // @unchecked Sendable: pointers into an `IndexImage`, written only by the build that allocated it.

    let items: UnsafeMutablePointer<UInt32>
    /// `count + 1` norms: the head's, then the bound of every other item.
    let norms: UnsafeMutablePointer<Float>
    let vectors: UnsafeMutablePointer<Float>
    let count: Int
    let dimension: Int

    init(image: IndexImage, layout: HNSWLayout) {
        items = image.pointer(at: layout.headItems, as: UInt32.self)
        norms = image.pointer(at: layout.headNorms, as: Float.self)
        vectors = image.pointer(at: layout.headVectors, as: Float.self)
        count = layout.headCount
        dimension = layout.dimension
    }

    /// Scores the head's items, largest norm first, and keeps the best that `isAllowed` passes in `results`
    /// (whose limit is the number of items wanted); stops as soon as no item after the position reached can rank among them.
    /// Returns whether that happened — `results` then holds the exact answer over every item of the index —
    /// and how many items it scored (allowed or not).
    ///
    /// The bound is ‖q‖·‖x‖ (Cauchy–Schwarz) raised by a relative 10⁻⁵, more than float32 rounding of a
    /// 65,536-float product can add, and it must be beaten strictly: an item that ties with the k-th best might
    /// rank before it by its smaller id.
    func scan(
        _ query: UnsafePointer<Float>, into results: inout ResultQueue, where isAllowed: (Int32) -> Bool
    ) -> (isExact: Bool, scored: Int) {
        let queryNorm = Dot.product(query, query, count: dimension).squareRoot() * (1 + 1e-5)
        for position in 0..<count {
            if results.isFull, results.worst.score > queryNorm * norms[position] { return (true, position) }
            let candidate = IndexedScore(
                index: Int32(truncatingIfNeeded: items[position]),
                score: Dot.product(query, vectors + position * dimension, count: dimension))
            // The predicate (a closure over the user's history) costs more than the product: it is asked only
            // about items that would be kept.
            if results.isFull, !ResultQueue.ranks(candidate, before: results.worst) { continue }
            guard isAllowed(candidate.index) else { continue }
            results.offer(candidate)
        }
        return (results.isFull && results.worst.score > queryNorm * norms[count], count)
    }

    /// Fills the head of a new index from its stored vectors: the `count` items of largest norm (equal norms by
    /// smaller id), their norms and vectors, and the largest norm among the rest.
    func fill(from graph: GraphStorage, itemCount: Int) {
        guard count > 0 else { return }
        var longest = ResultQueue(capacity: count + 1)
        defer { longest.deallocate() }
        longest.reset(limit: min(count + 1, itemCount))
        for item in 0..<itemCount {
            let vector = graph.vector(item)
            let norm = Dot.product(vector, vector, count: dimension).squareRoot()
            longest.offer(IndexedScore(index: Int32(truncatingIfNeeded: item), score: norm))
        }
        let ordered = UnsafeMutablePointer<IndexedScore>.allocate(capacity: count + 1)
        defer { ordered.deallocate() }
        let found = longest.drainBestFirst(into: ordered)
        for position in 0..<count {
            let item = Int(ordered[position].index)
            items[position] = UInt32(item)
            norms[position] = ordered[position].score
            (vectors + position * dimension).update(from: graph.vector(item), count: dimension)
        }
        norms[count] = found > count ? ordered[count].score : 0
    }

    /// Checks what a search trusts: every item in range and the norms finite and non-increasing.
    func validate(itemCount: Int) throws(NearestNeighborsError) {
        for position in 0..<count where Int(items[position]) >= itemCount {
            throw .invalidFile("head item \(items[position]) is not an item of \(itemCount)")
        }
        guard count > 0 else { return }
        for position in 0...count {
            let norm = norms[position]
            guard norm.isFinite, norm >= 0, position == 0 || norm <= norms[position - 1] else {
                throw .invalidFile("head norm \(norm) at \(position) is not a norm in decreasing order")
            }
        }
    }
}
