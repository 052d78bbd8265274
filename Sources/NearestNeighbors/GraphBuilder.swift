import LinearAlgebra

/// Links the items of an image into the graph: INSERT (Algorithm 1 of Malkov & Yashunin) for each item, from
/// any number of threads at once, each list changed only under its item's lock.
///
/// Every item's layer is drawn before the build, so the item with the highest layer is the entry point from
/// the start and no insertion ever changes it (hnswlib, which draws layers as it goes, serialises insertions
/// that raise the top layer behind a global lock instead).
struct GraphBuilder {
    let graph: GraphStorage
    let locks: BuildLocks
    /// efConstruction (at least M).
    let width: Int
    let entryPoint: Int
    let topLevel: Int

    /// One build thread's memory.
    final class Worker {
        let scratch: SearchScratch
        /// A list copied under its lock (2M ids).
        let listBuffer: UnsafeMutablePointer<UInt32>
        /// A full list and its new item, while it is pruned (2M + 1 pairs).
        let pruneBuffer: UnsafeMutablePointer<IndexedScore>

        init(count: Int, dimension: Int, width: Int, neighbours: Int) {
            scratch = SearchScratch(count: count, dimension: dimension, neighbours: neighbours, width: width)
            scratch.reserveOrdered(width)
            listBuffer = .allocate(capacity: 2 * neighbours)
            pruneBuffer = .allocate(capacity: 2 * neighbours + 1)
        }

        deinit {
            listBuffer.deallocate()
            pruneBuffer.deallocate()
        }
    }

    /// The score of item `b` seen from item `a`.
    @inline(__always)
    func itemScore(_ a: Int, _ b: Int) -> Float {
        Dot.product(graph.vector(a), graph.vector(b), count: graph.dimension)
    }

    /// Links `item` (not the entry point) into every layer up to its own.
    func insert(_ item: Int, worker: Worker) {
        let scorer = BuildScorer(builder: self, item: item)
        let reader = LockedListReader(graph: graph, locks: locks, buffer: worker.listBuffer)
        let itemLevel = Int(graph.levels[item])
        var entry = IndexedScore(index: Int32(entryPoint), score: scorer.score(entryPoint))
        var level = topLevel
        while level > itemLevel {
            entry = graph.greedyClosest(scorer, from: entry, level: level, reader: reader)
            level -= 1
        }
        let scratch = worker.scratch
        while level >= 0 {
            _ = graph.searchLayer(scorer, from: entry, level: level, width: width, reader: reader, scratch: scratch) { _ in true }
            let ordered = scratch.ordered
            var found = scratch.results.drainBestFirst(into: ordered)
            // Another worker may have linked this item already, and found it here.
            if let own = (0..<found).first(where: { Int(ordered[$0].index) == item }) {
                (ordered + own).update(from: ordered + own + 1, count: found - own - 1)
                found -= 1
            }
            if found > 0 {
                entry = ordered[0]
                let selected = selectNeighbours(ordered, count: found, limit: graph.neighbours)
                for position in 0..<selected {
                    let neighbour = ordered[position]
                    link(item, to: neighbour, level: level, worker: worker)
                    link(Int(neighbour.index), to: IndexedScore(index: Int32(item), score: neighbour.score), level: level, worker: worker)
                }
            }
            level -= 1
        }
    }

    /// The paper's neighbour-selection heuristic (Algorithm 4, as hnswlib runs it): walking `candidates` best
    /// first (each scored against the item they are chosen for), keeps one unless a kept candidate scores
    /// higher with it than the item does, up to `limit`. Fewer than `limit` candidates are all kept. The kept
    /// ones are moved to the front of `candidates`, in order; returns how many.
    func selectNeighbours(_ candidates: UnsafeMutablePointer<IndexedScore>, count: Int, limit: Int) -> Int {
        guard count >= limit else { return count }
        var kept = 0
        for position in 0..<count where kept < limit {
            let candidate = candidates[position]
            var diverse = true
            for other in 0..<kept where itemScore(Int(candidate.index), Int(candidates[other].index)) > candidate.score {
                diverse = false
                break
            }
            if diverse {
                candidates[kept] = candidate
                kept += 1
            }
        }
        return kept
    }

    /// Adds `neighbour` (scored from `item`) to `item`'s list on `level`, unless it is there; a full list is
    /// pruned back to its capacity by `selectNeighbours` over its ids and the new one.
    func link(_ item: Int, to neighbour: IndexedScore, level: Int, worker: Worker) {
        locks.withLock(of: item) {
            let list = graph.list(item, level: level)
            let count = Int(list[0])
            let id = UInt32(truncatingIfNeeded: neighbour.index)
            for position in 0..<count where list[1 + position] == id { return }
            let capacity = graph.capacity(level: level)
            if count < capacity {
                list[1 + count] = id
                list[0] = UInt32(count + 1)
                return
            }
            let pruned = worker.pruneBuffer
            for position in 0..<count {
                let other = Int(list[1 + position])
                pruned[position] = IndexedScore(index: Int32(other), score: itemScore(item, other))
            }
            pruned[count] = neighbour
            Self.sortBestFirst(pruned, count: count + 1)
            let kept = selectNeighbours(pruned, count: count + 1, limit: capacity)
            for position in 0..<kept { list[1 + position] = UInt32(truncatingIfNeeded: pruned[position].index) }
            list[0] = UInt32(kept)
        }
    }

    /// Insertion sort, best first (lists hold at most 2M + 1 pairs).
    static func sortBestFirst(_ pairs: UnsafeMutablePointer<IndexedScore>, count: Int) {
        guard count > 1 else { return }
        for position in 1..<count {
            let pair = pairs[position]
            var slot = position
            while slot > 0, ResultQueue.ranks(pair, before: pairs[slot - 1]) {
                pairs[slot] = pairs[slot - 1]
                slot -= 1
            }
            pairs[slot] = pair
        }
    }
}

/// Scores items against an item being inserted.
struct BuildScorer: ItemScorer {
    let builder: GraphBuilder
    let item: Int

    @inline(__always)
    func score(_ other: Int) -> Float { builder.itemScore(item, other) }
}
