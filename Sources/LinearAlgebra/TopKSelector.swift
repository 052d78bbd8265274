/// Keeps the `k` best (index, score) pairs seen so far in a bounded heap.
///
/// Order is deterministic: higher score first, equal scores by smaller index. `-Float.infinity` and NaN
/// are never kept. Storage is allocated once for `k` and reused across `reset` calls, so scanning does
/// not allocate per element.
package struct TopKSelector: Sendable {
    /// Min-heap by rank: the worst kept pair is at index 0.
    @usableFromInline var heap: [IndexedScore]
    /// How many pairs are kept at most.
    package private(set) var capacity: Int

    /// A selector that keeps the best `capacity` pairs.
    package init(capacity: Int) {
        precondition(capacity >= 0, "capacity must not be negative")
        self.capacity = capacity
        self.heap = []
        heap.reserveCapacity(capacity)
    }

    /// Forgets every kept pair and sets a new capacity, keeping the allocated storage.
    package mutating func reset(capacity: Int) {
        precondition(capacity >= 0, "capacity must not be negative")
        self.capacity = capacity
        heap.removeAll(keepingCapacity: true)
        heap.reserveCapacity(capacity)
    }

    /// Number of pairs kept so far.
    package var count: Int { heap.count }

    /// A score below which an offer cannot be kept: the worst kept score once full, `-infinity` before.
    /// (An offer equal to it may still be kept if its index is smaller.) Lets callers skip most offers cheaply.
    @inlinable
    package var admissionThreshold: Float {
        heap.count < capacity ? -.infinity : (capacity == 0 ? .infinity : heap[0].score)
    }

    /// Offers one pair; it is kept if it ranks among the best `capacity` seen so far.
    @inlinable
    package mutating func offer(index: Int32, score: Float) {
        guard score > -Float.infinity else { return }  // also rejects NaN
        let candidate = IndexedScore(index: index, score: score)
        if heap.count < capacity {
            heap.append(candidate)
            siftUp(from: heap.count - 1)
        } else if capacity > 0, candidate.ranksBefore(heap[0]) {
            heap[0] = candidate
            siftDown(from: 0)
        }
    }

    /// Offers `scores[i]` for every `i` in order, skipping indices where `isExcluded(i)` is true.
    @inlinable
    package mutating func offer(
        scores: UnsafeBufferPointer<Float>, where isExcluded: (Int32) -> Bool = { _ in false }
    ) {
        guard capacity > 0 else { return }
        var index = 0
        let count = scores.count
        // Fill phase: until the heap is full every finite score is a candidate.
        while index < count, heap.count < capacity {
            let index32 = Int32(truncatingIfNeeded: index)
            if !isExcluded(index32) { offer(index: index32, score: scores[index]) }
            index += 1
        }
        // Scan phase: indices rise, so a candidate must beat the worst kept score strictly.
        var threshold = heap.isEmpty ? -Float.infinity : heap[0].score
        while index < count {
            let score = scores[index]
            if score > threshold {
                let index32 = Int32(truncatingIfNeeded: index)
                if !isExcluded(index32) {
                    offer(index: index32, score: score)
                    threshold = heap[0].score
                }
            }
            index += 1
        }
    }

    /// The kept pairs, best first, passed through `transform`; the selector is emptied.
    @inlinable
    package mutating func drainBestFirst<T>(_ transform: (IndexedScore) -> T) -> [T] {
        let count = heap.count
        return withUnsafeTemporaryAllocation(of: IndexedScore.self, capacity: max(1, count)) { ordered in
            drainInOrder(into: ordered.baseAddress!)
            return (0..<count).map { transform(ordered[$0]) }
        }
    }

    /// The kept pairs, best first; the selector is emptied.
    package mutating func drainBestFirst() -> [IndexedScore] {
        drainBestFirst { $0 }
    }

    /// Writes the kept pairs best first into `indices` and `scores` (room for `count` each), returns how
    /// many were written, and empties the selector. Does not allocate.
    package mutating func drainBestFirst(
        into indices: UnsafeMutablePointer<Int32>, scores: UnsafeMutablePointer<Float>
    ) -> Int {
        let count = heap.count
        withUnsafeTemporaryAllocation(of: IndexedScore.self, capacity: max(1, count)) { ordered in
            drainInOrder(into: ordered.baseAddress!)
            for position in 0..<count {
                indices[position] = ordered[position].index
                scores[position] = ordered[position].score
            }
        }
        return count
    }

    /// Heap-sorts the kept pairs into `output` best first (the root is the worst, so it goes last) and
    /// empties the heap.
    @inlinable
    mutating func drainInOrder(into output: UnsafeMutablePointer<IndexedScore>) {
        heap.withUnsafeMutableBufferPointer { buffer in
            var count = buffer.count
            while count > 0 {
                output[count - 1] = buffer[0]
                count -= 1
                if count > 0 {
                    buffer[0] = buffer[count]
                    Self.siftDown(buffer.baseAddress!, count: count, from: 0)
                }
            }
        }
        heap.removeAll(keepingCapacity: true)
    }

    @inlinable
    mutating func siftUp(from start: Int) {
        heap.withUnsafeMutableBufferPointer { buffer in
            let heap = buffer.baseAddress!
            var child = start
            let element = heap[child]
            while child > 0 {
                let parent = (child - 1) >> 1
                // The worst pair belongs at the root: move up while the parent ranks before us.
                guard heap[parent].ranksBefore(element) else { break }
                heap[child] = heap[parent]
                child = parent
            }
            heap[child] = element
        }
    }

    @inlinable
    mutating func siftDown(from start: Int) {
        heap.withUnsafeMutableBufferPointer { buffer in
            Self.siftDown(buffer.baseAddress!, count: buffer.count, from: start)
        }
    }

    @inlinable
    static func siftDown(_ heap: UnsafeMutablePointer<IndexedScore>, count: Int, from start: Int) {
        var parent = start
        let element = heap[parent]
        while true {
            var child = 2 * parent + 1
            guard child < count else { break }
            if child + 1 < count, heap[child].ranksBefore(heap[child + 1]) { child += 1 }
            guard element.ranksBefore(heap[child]) else { break }
            heap[parent] = heap[child]
            parent = child
        }
        heap[parent] = element
    }
}

/// One-shot top-k selection over a score buffer.
package enum TopK {
    /// The best `k` (index, score) pairs of `scores`, best first; equal scores by smaller index;
    /// `-Float.infinity` and NaN are never selected; fewer than `k` when fewer are selectable.
    package static func select(
        _ scores: UnsafeBufferPointer<Float>, count k: Int, where isExcluded: (Int32) -> Bool = { _ in false }
    ) -> [IndexedScore] {
        var selector = TopKSelector(capacity: min(max(k, 0), scores.count))
        selector.offer(scores: scores, where: isExcluded)
        return selector.drainBestFirst()
    }

    /// Like `select(_:count:where:)`, excluding the indices in `excluded`, which must be sorted ascending.
    package static func select(
        _ scores: UnsafeBufferPointer<Float>, count k: Int, excludingSorted excluded: [Int32]
    ) -> [IndexedScore] {
        var cursor = 0
        // Indices are offered in ascending order, so one forward cursor answers every membership test.
        return select(scores, count: k) { index in
            while cursor < excluded.count, excluded[cursor] < index { cursor += 1 }
            return cursor < excluded.count && excluded[cursor] == index
        }
    }
}
