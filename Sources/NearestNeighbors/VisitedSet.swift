/// Which items a search has scored, reset in O(1): an item is visited when its mark equals the current
/// generation, and each search starts a new generation (the marks are cleared only when the 16-bit
/// generation wraps, once every 65,535 searches).
///
/// A plain struct over memory that `SearchScratch` owns and frees.
struct VisitedSet {
    private let marks: UnsafeMutablePointer<UInt16>
    private let count: Int
    private var generation: UInt16 = 0

    /// Room for items `0..<count`; `deallocate` frees it.
    init(count: Int) {
        self.count = count
        marks = .allocate(capacity: max(count, 1))
        marks.initialize(repeating: 0, count: max(count, 1))
    }

    func deallocate() { marks.deallocate() }

    /// Forgets every visit.
    mutating func startSearch() {
        if generation == .max {
            marks.update(repeating: 0, count: max(count, 1))
            generation = 0
        }
        generation += 1
    }

    /// Marks `item` visited; returns whether it was not visited before.
    @inline(__always)
    mutating func insert(_ item: Int) -> Bool {
        if marks[item] == generation { return false }
        marks[item] = generation
        return true
    }
}
