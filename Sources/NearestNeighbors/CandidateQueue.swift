import LinearAlgebra

/// A layer search's frontier: a max-heap of (item, score), the best-scoring candidate on top.
///
/// A plain struct over memory that `SearchScratch` owns: it grows by doubling and is kept between searches,
/// so a search allocates nothing once its scratch has grown to the widths it meets.
struct CandidateQueue {
    private(set) var storage: UnsafeMutablePointer<IndexedScore>
    private(set) var capacity: Int
    private(set) var count = 0

    init(capacity: Int) {
        self.capacity = max(capacity, 16)
        storage = .allocate(capacity: self.capacity)
    }

    func deallocate() { storage.deallocate() }

    var isEmpty: Bool { count == 0 }

    /// The best candidate (the queue must not be empty).
    var best: IndexedScore { storage[0] }

    mutating func removeAll() { count = 0 }

    @inline(__always)
    mutating func push(_ element: IndexedScore) {
        if count == capacity { grow() }
        var child = count
        count += 1
        while child > 0 {
            let parent = (child - 1) >> 1
            guard storage[parent].score < element.score else { break }
            storage[child] = storage[parent]
            child = parent
        }
        storage[child] = element
    }

    /// Removes and returns the best candidate (the queue must not be empty).
    @inline(__always)
    mutating func popBest() -> IndexedScore {
        let top = storage[0]
        count -= 1
        guard count > 0 else { return top }
        let element = storage[count]
        var parent = 0
        while true {
            var child = 2 * parent + 1
            guard child < count else { break }
            if child + 1 < count, storage[child + 1].score > storage[child].score { child += 1 }
            guard element.score < storage[child].score else { break }
            storage[parent] = storage[child]
            parent = child
        }
        storage[parent] = element
        return top
    }

    private mutating func grow() {
        let larger = UnsafeMutablePointer<IndexedScore>.allocate(capacity: capacity * 2)
        larger.moveInitialize(from: storage, count: count)
        storage.deallocate()
        storage = larger
        capacity *= 2
    }
}
