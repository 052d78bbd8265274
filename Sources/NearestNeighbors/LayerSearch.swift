import LinearAlgebra

/// How a layer search reads an item's neighbour list: directly (a built index, which nothing changes) or as a
/// copy taken under the item's lock (a parallel build, whose lists other workers are changing).
protocol ListReader {
    /// The ids of `item`'s list on `level` (valid until the next `read`) and how many there are.
    func read(_ item: Int, level: Int) -> (ids: UnsafePointer<UInt32>, count: Int)
}

/// Reads the lists in place.
struct DirectListReader: ListReader {
    let graph: GraphStorage

    @inline(__always)
    func read(_ item: Int, level: Int) -> (ids: UnsafePointer<UInt32>, count: Int) {
        let list = graph.list(item, level: level)
        return (UnsafePointer(list + 1), Int(list[0]))
    }
}

/// Copies each list into `buffer` (room for 2M ids) under the item's lock.
struct LockedListReader: ListReader {
    let graph: GraphStorage
    let locks: BuildLocks
    let buffer: UnsafeMutablePointer<UInt32>

    @inline(__always)
    func read(_ item: Int, level: Int) -> (ids: UnsafePointer<UInt32>, count: Int) {
        let count = locks.withLock(of: item) {
            let list = graph.list(item, level: level)
            let count = Int(list[0])
            buffer.update(from: list + 1, count: count)
            return count
        }
        return (UnsafePointer(buffer), count)
    }
}

/// Scores items against one query.
protocol ItemScorer {
    func score(_ item: Int) -> Float
}

/// ⟨query, item⟩ over the stored vectors.
struct QueryScorer: ItemScorer {
    let graph: GraphStorage
    let query: UnsafePointer<Float>

    @inline(__always)
    func score(_ item: Int) -> Float { graph.score(query, item) }
}

/// When a query's layer search gives up (`HNSWIndex.search` falls back to an exact scan then).
struct SearchBound {
    /// About what the walk costs without a predicate, in items scored: 2M·width.
    let unfilteredCost: Int
    /// Items it may score at most.
    let limit: Int

    /// Whether a walk that has scored `evaluations` items, and found that `passed` of the `offered` items good
    /// enough to keep passed the predicate, should stop: it is over the limit, or its share of passing items
    /// says the whole walk (about `unfilteredCost` ÷ that share) would be, once it has offered enough items to
    /// tell (a quarter of `unfilteredCost`).
    @inline(__always)
    func isExceeded(evaluations: Int, offered: Int, passed: Int) -> Bool {
        evaluations > limit || (4 * offered >= unfilteredCost && passed * limit < offered * unfilteredCost)
    }
}

/// How a layer search ended.
struct LayerSearchOutcome {
    /// False when it stopped because it had scored more than its limit of items.
    var completed: Bool
    /// Items it scored, the entry included.
    var evaluations: Int
}

extension GraphStorage {
    /// From `entry`, moves to the best-scoring neighbour on `level` while one scores higher (the paper's
    /// SEARCH-LAYER with ef = 1, as the upper layers are searched).
    @inline(__always)
    func greedyClosest<Reader: ListReader, Scorer: ItemScorer>(
        _ scorer: Scorer, from entry: IndexedScore, level: Int, reader: Reader
    ) -> IndexedScore {
        var current = entry
        var changed = true
        while changed {
            changed = false
            let (ids, count) = reader.read(Int(current.index), level: level)
            for position in 0..<count {
                let item = Int(ids[position])
                let score = scorer.score(item)
                if score > current.score {
                    current = IndexedScore(index: Int32(truncatingIfNeeded: item), score: score)
                    changed = true
                }
            }
        }
        return current
    }

    /// SEARCH-LAYER (Algorithm 2 of Malkov & Yashunin) from `entry` on `level`, keeping the `width` best items
    /// that `isAllowed` passes in `scratch.results`.
    ///
    /// Items that fail the predicate are still scored and expanded, so the search walks through them: it stops
    /// when the best candidate left scores below the worst of `width` passing items, so a predicate that passes
    /// few items widens the walk by itself (hnswlib filters the same way). With a `bound`, it gives up as soon as
    /// the bound says so.
    @inline(__always)
    func searchLayer<Reader: ListReader, Scorer: ItemScorer>(
        _ scorer: Scorer, from entry: IndexedScore, level: Int, width: Int, reader: Reader, scratch: SearchScratch,
        bound: SearchBound? = nil, isAllowed: (Int32) -> Bool
    ) -> LayerSearchOutcome {
        var visited = scratch.visited
        var candidates = scratch.candidates
        var results = scratch.results
        defer {
            scratch.visited = visited
            scratch.candidates = candidates
            scratch.results = results
        }
        visited.startSearch()
        candidates.removeAll()
        results.reset(limit: width)
        _ = visited.insert(Int(entry.index))
        candidates.push(entry)
        if isAllowed(entry.index) { results.offer(entry) }
        var evaluations = 1, offered = 0, passed = 0
        while !candidates.isEmpty {
            let current = candidates.best
            if results.isFull, current.score < results.worst.score { break }
            _ = candidates.popBest()
            if !candidates.isEmpty { prefetchList(Int(candidates.best.index), level: level) }
            // The unvisited neighbours first, their vectors fetched all at once, then their scores: the
            // fetches overlap instead of each score waiting for its own.
            let (ids, count) = reader.read(Int(current.index), level: level)
            let batch = scratch.batch
            var pending = 0
            for position in 0..<count {
                let item = Int(ids[position])
                guard visited.insert(item) else { continue }
                batch[pending] = UInt32(truncatingIfNeeded: item)
                pending += 1
                prefetchVector(item)
            }
            for position in 0..<pending {
                let item = Int(batch[position])
                let score = scorer.score(item)
                evaluations += 1
                if !results.isFull || score > results.worst.score {
                    let found = IndexedScore(index: Int32(truncatingIfNeeded: item), score: score)
                    candidates.push(found)
                    offered += 1
                    if isAllowed(found.index) {
                        passed += 1
                        results.offer(found)
                    }
                }
            }
            if let bound, bound.isExceeded(evaluations: evaluations, offered: offered, passed: passed) {
                return LayerSearchOutcome(completed: false, evaluations: evaluations)
            }
        }
        return LayerSearchOutcome(completed: true, evaluations: evaluations)
    }
}
