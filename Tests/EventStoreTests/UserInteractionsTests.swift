import Testing
@testable import EventStore

private func merged(_ existing: [(Int32, Float, Double)], _ run: [(Int32, Float, Double)]) -> (UserInteractions, Int) {
    var row = UserInteractions()
    let first = existing.map { Interaction(item: $0.0, weight: $0.1, lastSeen: $0.2) }
    _ = first.withUnsafeBufferPointer { row.merge($0) }
    let second = run.map { Interaction(item: $0.0, weight: $0.1, lastSeen: $0.2) }
    let added = second.withUnsafeBufferPointer { row.merge($0) }
    return (row, added)
}

@Suite struct UserInteractionsTests {
    @Test func insertsShortRunsInOrderAndCombinesRepeats() {
        let (row, added) = merged([(2, 1, 10), (5, 1, 50)], [(1, 1, 5), (5, 2, 40), (9, 1, 90)])
        #expect(added == 2)
        #expect(row.entries.map(\.item) == [1, 2, 5, 9])
        #expect(row.entries.map(\.weight) == [1, 1, 3, 1])
        #expect(row.entries.map(\.lastSeen) == [5, 10, 50, 90])
    }

    @Test func mergesLongRunsLikeRepeatedInserts() {
        var generator = SeededGenerator(seed: 5)
        for _ in 0..<50 {
            let existing = Array(Set((0..<30).map { _ in Int32.random(in: 0..<100, using: &generator) })).sorted()
                .map { ($0, Float(1), Double.random(in: 0..<100, using: &generator)) }
            let run = Array(Set((0..<20).map { _ in Int32.random(in: 0..<100, using: &generator) })).sorted()
                .map { ($0, Float(2), Double.random(in: 0..<100, using: &generator)) }
            let (row, added) = merged(existing, run)
            var expected: [Int32: (Float, Double)] = [:]
            for (item, weight, time) in existing + run {
                let old = expected[item] ?? (0, 0)
                expected[item] = (old.0 + weight, max(old.1, time))
            }
            #expect(added == expected.count - existing.count)
            #expect(row.entries.map(\.item) == expected.keys.sorted())
            for entry in row.entries {
                #expect(entry.weight == expected[entry.item]?.0)
                #expect(entry.lastSeen == expected[entry.item]?.1)
            }
        }
    }

    @Test func findsItemsByBinarySearch() {
        let (row, _) = merged([(1, 1, 0), (4, 1, 0), (8, 1, 0)], [])
        #expect(row.contains(4))
        #expect(!row.contains(5))
        #expect(!row.contains(0))
        #expect(!row.contains(9))
        #expect(row.lowerBound(5) == 2)
    }
}
