import LinearAlgebra

extension HNSWIndex {
    /// The `count` best items for `query` (higher score first: inner product or cosine similarity) among those
    /// `isAllowed` passes — seen items, exclusions, hidden items and filters all come in through it.
    ///
    /// The bottom layer is searched `width` wide (default `parameters.searchWidth`, at least `count`), and the
    /// width counts passing items only: the search walks on through items that fail until it holds `width`
    /// that pass, so a selective predicate widens it by itself. When that walk passes its bound (`bound(width:)`,
    /// `parameters.fallbackFraction`: it has scored that share of the items, or the share of passing items it
    /// met says it will), or ends with fewer than `count` passing items, every item the predicate passes is
    /// scored instead and the answer says so (`.fallback`). An index of at most `width` items is always scanned
    /// (`.exhaustive`), so its answers are exact. An inner-product index scans its head first (`NormHead`): when
    /// that proves no other item can rank among the best, the answer is exact without the walk (`.bounded`);
    /// otherwise the walk's items join the head's.
    ///
    /// `query` must hold `dimension` floats. Allocates only the returned array (and a scratch when more searches
    /// run at once than ever before); safe to call from any number of threads.
    package func search(
        _ query: UnsafeBufferPointer<Float>, count wanted: Int, width: Int? = nil,
        where isAllowed: (Int32) -> Bool = { _ in true }
    ) -> NeighbourSearch {
        precondition(query.count == dimension, "query has \(query.count) floats, the index \(dimension)")
        guard wanted > 0, count > 0 else { return NeighbourSearch(items: [], method: .exhaustive, evaluations: 0) }
        let width = max(width ?? parameters.searchWidth, wanted)
        return withScratch { scratch in
            let query = prepareQuery(query, in: scratch)
            guard count > width else {
                return scan(query, count: wanted, scratch: scratch, method: .exhaustive, evaluations: 0, where: isAllowed)
            }
            scratch.best.reset(limit: wanted)
            let (isExact, headScored) = head.scan(query, into: &scratch.best, where: isAllowed)
            if isExact { return drainBest(of: scratch, method: .bounded, evaluations: headScored) }
            let scorer = QueryScorer(graph: graph, query: query)
            let reader = DirectListReader(graph: graph)
            var entry = IndexedScore(index: Int32(entryPoint), score: scorer.score(entryPoint))
            var level = topLevel
            while level > 0 {
                entry = graph.greedyClosest(scorer, from: entry, level: level, reader: reader)
                level -= 1
            }
            let outcome = graph.searchLayer(
                scorer, from: entry, level: 0, width: width, reader: reader, scratch: scratch, bound: bound(width: width),
                isAllowed: isAllowed)
            let evaluations = headScored + outcome.evaluations
            guard outcome.completed, scratch.results.count >= wanted else {
                return scan(
                    query, count: wanted, scratch: scratch, method: .fallback, evaluations: evaluations, where: isAllowed)
            }
            guard head.count > 0 else {
                scratch.reserveOrdered(wanted)
                let found = scratch.results.writeBest(wanted, into: scratch.ordered)
                let items = Array(UnsafeBufferPointer(start: scratch.ordered, count: found))
                return NeighbourSearch(items: items, method: .graph, evaluations: evaluations)
            }
            // The walk may have met head items too: each goes in once.
            scratch.results.forEach { found in
                if !scratch.best.contains(found.index) { scratch.best.offer(found) }
            }
            return drainBest(of: scratch, method: .graph, evaluations: evaluations)
        }
    }

    /// The search's answer from `scratch.best`, best first.
    private func drainBest(of scratch: SearchScratch, method: NeighbourSearch.Method, evaluations: Int) -> NeighbourSearch {
        scratch.reserveOrdered(scratch.best.count)
        let found = scratch.best.drainBestFirst(into: scratch.ordered)
        return NeighbourSearch(
            items: Array(UnsafeBufferPointer(start: scratch.ordered, count: found)), method: method, evaluations: evaluations)
    }

    /// The bound of a search `width` wide: at most `parameters.fallbackFraction` of the items scored, or four
    /// times a walk's usual cost if that is more (so that small indexes search their graph too).
    func bound(width: Int) -> SearchBound {
        let unfilteredCost = 2 * parameters.neighbours * width
        return SearchBound(
            unfilteredCost: unfilteredCost, limit: max(Int(parameters.fallbackFraction * Double(count)), 4 * unfilteredCost))
    }

    /// `search` with the query in an array.
    package func search(
        _ query: [Float], count wanted: Int, width: Int? = nil, where isAllowed: (Int32) -> Bool = { _ in true }
    ) -> NeighbourSearch {
        query.withUnsafeBufferPointer { search($0, count: wanted, width: width, where: isAllowed) }
    }

    /// Copies `query` into the scratch, normalised for cosine.
    private func prepareQuery(_ query: UnsafeBufferPointer<Float>, in scratch: SearchScratch) -> UnsafePointer<Float> {
        scratch.query.update(from: query.baseAddress!, count: dimension)
        if metric == .cosine { Self.normalise(scratch.query, count: dimension) }
        return UnsafePointer(scratch.query)
    }

    /// Scales `vector` to unit length (a zero vector stays zero).
    static func normalise(_ vector: UnsafeMutablePointer<Float>, count: Int) {
        let norm = Dot.product(vector, vector, count: count).squareRoot()
        guard norm > 0 else { return }
        let scale = 1 / norm
        for index in 0..<count { vector[index] *= scale }
    }

    /// The exact answer: every item `isAllowed` passes scored, the best `wanted` kept (as `TopK.select` keeps them).
    private func scan(
        _ query: UnsafePointer<Float>, count wanted: Int, scratch: SearchScratch, method: NeighbourSearch.Method,
        evaluations: Int, where isAllowed: (Int32) -> Bool
    ) -> NeighbourSearch {
        var results = scratch.results
        results.reset(limit: wanted)
        var scored = 0
        for item in 0..<count {
            let id = Int32(truncatingIfNeeded: item)
            guard isAllowed(id) else { continue }
            results.offer(IndexedScore(index: id, score: graph.score(query, item)))
            scored += 1
        }
        scratch.results = results
        scratch.reserveOrdered(results.count)
        let found = scratch.results.drainBestFirst(into: scratch.ordered)
        let items = Array(UnsafeBufferPointer(start: scratch.ordered, count: found))
        return NeighbourSearch(items: items, method: method, evaluations: evaluations + scored)
    }
}
