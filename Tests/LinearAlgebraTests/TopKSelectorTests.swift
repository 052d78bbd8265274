import LinearAlgebra
import Testing

struct TopKSelectorTests {
    /// Reference: full sort by (score desc, index asc) over selectable entries.
    private func fullSort(_ scores: [Float], k: Int, excluded: Set<Int32> = []) -> [IndexedScore] {
        let candidates = scores.enumerated().compactMap { index, score -> IndexedScore? in
            guard score > -Float.infinity, !excluded.contains(Int32(index)) else { return nil }
            return IndexedScore(index: Int32(index), score: score)
        }
        return Array(candidates.sorted { $0.ranksBefore($1) }.prefix(k))
    }

    @Test(arguments: [0, 1, 5, 50, 200, 1000])
    func matchesFullSortWithTiesAndExclusions(k: Int) {
        var generator = makeGenerator(UInt64(k) + 1)
        // Few distinct values so ties are everywhere; a sprinkle of -inf and NaN that must never appear.
        var scores = (0..<500).map { _ in Float(generator.nextIndex(below: 12)) }
        for index in stride(from: 3, to: 500, by: 37) { scores[index] = -.infinity }
        for index in stride(from: 5, to: 500, by: 41) { scores[index] = .nan }
        let excluded = (0..<500).filter { _ in generator.nextIndex(below: 5) == 0 }.map { Int32($0) }
        let expected = fullSort(scores, k: k, excluded: Set(excluded))
        scores.withUnsafeBufferPointer { buffer in
            #expect(TopK.select(buffer, count: k, excludingSorted: excluded) == expected)
            #expect(TopK.select(buffer, count: k) { Set(excluded).contains($0) } == expected)
            #expect(TopK.select(buffer, count: k) == fullSort(scores, k: k))
        }
    }

    @Test func returnsEverySelectableItemWhenKExceedsCount() {
        let scores: [Float] = [1, -.infinity, 3, .nan, 3]
        let selected = scores.withUnsafeBufferPointer { TopK.select($0, count: 10) }
        #expect(selected == [IndexedScore(index: 2, score: 3), IndexedScore(index: 4, score: 3), IndexedScore(index: 0, score: 1)])
    }

    @Test func breaksTiesBySmallerIndexWhenOfferedOutOfOrder() {
        var selector = TopKSelector(capacity: 2)
        for index: Int32 in [9, 4, 7, 1] { selector.offer(index: index, score: 1) }
        #expect(selector.drainBestFirst().map(\.index) == [1, 4])
        selector.reset(capacity: 1)
        selector.offer(index: 3, score: -.infinity)
        selector.offer(index: 2, score: .nan)
        #expect(selector.drainBestFirst().isEmpty)
    }
}
