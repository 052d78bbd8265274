import LinearAlgebra

/// A layer search's results: the best `limit` (item, score) pairs found so far, in a min-heap with the worst
/// kept pair on top (ordered as `IndexedScore.ranksBefore` orders them: higher score first, equal scores by
/// smaller id).
///
/// A plain struct over memory that `SearchScratch` owns, grown only when a wider search needs it.
struct ResultQueue {
    private(set) var storage: UnsafeMutablePointer<IndexedScore>
    private(set) var capacity: Int
    private(set) var count = 0
    /// How many pairs are kept.
    private(set) var limit = 0

    init(capacity: Int) {
        self.capacity = max(capacity, 16)
        storage = .allocate(capacity: self.capacity)
    }

    func deallocate() { storage.deallocate() }

    /// Empties the queue and sets how many pairs it keeps.
    mutating func reset(limit: Int) {
        count = 0
        self.limit = limit
        if limit > capacity {
            storage.deallocate()
            capacity = limit
            storage = .allocate(capacity: capacity)
        }
    }

    var isFull: Bool { count == limit }

    /// The worst kept pair (the queue must not be empty).
    var worst: IndexedScore { storage[0] }

    /// Keeps `element` if the queue has room or it ranks before the worst kept pair (which then goes).
    @inline(__always)
    mutating func offer(_ element: IndexedScore) {
        if count < limit {
            var child = count
            count += 1
            while child > 0 {
                let parent = (child - 1) >> 1
                guard Self.ranks(storage[parent], before: element) else { break }
                storage[child] = storage[parent]
                child = parent
            }
            storage[child] = element
        } else if limit > 0, Self.ranks(element, before: storage[0]) {
            siftDown(element, count: count)
        }
    }

    /// Calls `body` with every kept pair, in no particular order.
    func forEach(_ body: (IndexedScore) -> Void) {
        for position in 0..<count { body(storage[position]) }
    }

    /// Whether a kept pair is `index`'s.
    func contains(_ index: Int32) -> Bool {
        for position in 0..<count where storage[position].index == index { return true }
        return false
    }

    /// Writes the kept pairs best first into `output` (room for `count`), empties the queue and returns how
    /// many it wrote.
    mutating func drainBestFirst(into output: UnsafeMutablePointer<IndexedScore>) -> Int {
        let total = count
        while count > 0 {
            output[count - 1] = storage[0]
            count -= 1
            if count > 0 { siftDown(storage[count], count: count) }
        }
        return total
    }

    /// Writes the best `wanted` kept pairs best first into `output` (room for `wanted`) and returns how many it
    /// wrote (fewer when fewer are kept); the queue keeps them all. One pass over the heap with an insertion
    /// into the short sorted output instead of sorting everything the search kept: 8–15% more queries a second
    /// at ef 100–200 (`recsmith-bench hnsw`, 100,000 items, 2026-12-05).
    func writeBest(_ wanted: Int, into output: UnsafeMutablePointer<IndexedScore>) -> Int {
        var written = 0
        for position in 0..<count {
            let element = storage[position]
            if written == wanted {
                guard Self.ranks(element, before: output[written - 1]) else { continue }
                written -= 1
            }
            var slot = written
            while slot > 0, Self.ranks(element, before: output[slot - 1]) {
                output[slot] = output[slot - 1]
                slot -= 1
            }
            output[slot] = element
            written += 1
        }
        return written
    }

    /// `IndexedScore.ranksBefore`, which the optimiser does not inline across modules here (a tenth of a
    /// search's time went to calling it).
    @inline(__always)
    static func ranks(_ first: IndexedScore, before second: IndexedScore) -> Bool {
        first.score > second.score || (first.score == second.score && first.index < second.index)
    }

    /// Puts `element` at the root of the first `count` slots and sifts it down.
    @inline(__always)
    private func siftDown(_ element: IndexedScore, count: Int) {
        var parent = 0
        while true {
            var child = 2 * parent + 1
            guard child < count else { break }
            if child + 1 < count, Self.ranks(storage[child], before: storage[child + 1]) { child += 1 }
            guard Self.ranks(element, before: storage[child]) else { break }
            storage[parent] = storage[child]
            parent = child
        }
        storage[parent] = element
    }
}
