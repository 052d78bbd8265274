import Testing
@testable import EventStore

struct IndexChangesTests {
    /// `count` seeded events of `users` users over 50 items, with repeated pairs.
    private func changes(count: Int, users: Int, firstUser: Int32 = 0) -> IndexChanges {
        var generator = SplitMix64(state: UInt64(count))
        var changes = IndexChanges()
        for event in 0..<count {
            changes.interactions.append(PendingInteraction(
                user: firstUser + Int32(generator.next() % UInt64(users)), item: Int32(generator.next() % 50),
                weight: Float(generator.next() % 1_000) / 7, timestamp: Double(event)))
        }
        return changes
    }

    /// What `aggregated` gives by definition: a stable sort by (user, item), repeats summed in stored order.
    private func reference(_ changes: IndexChanges) -> [(user: Int32, item: Int32, weight: Float, lastSeen: Double)] {
        var result: [(user: Int32, item: Int32, weight: Float, lastSeen: Double)] = []
        for pending in changes.interactions.enumerated().sorted(by: { ($0.element.key, $0.offset) < ($1.element.key, $1.offset) }).map(\.element) {
            if let last = result.last, last.user == pending.user, last.item == pending.item {
                result[result.count - 1].weight += pending.weight
                result[result.count - 1].lastSeen = max(last.lastSeen, pending.timestamp)
            } else {
                result.append((pending.user, pending.item, pending.weight, pending.timestamp))
            }
        }
        return result
    }

    private func flattened(_ aggregated: (entries: [Interaction], runs: [(user: Int32, range: Range<Int>)]))
        -> [(user: Int32, item: Int32, weight: Float, lastSeen: Double)] {
        aggregated.runs.flatMap { run in aggregated.entries[run.range].map { (run.user, $0.item, $0.weight, $0.lastSeen) } }
    }

    @Test(arguments: [(100, 10), (5_000, 300), (20_000, 2_000), (6_000, 100_000)])
    func largeAndSmallBatchesAggregateAsAStableSortByUserAndItemWould(count: Int, users: Int) {
        let batch = changes(count: count, users: users, firstUser: 7)
        let expected = reference(batch)
        let found = flattened(batch.aggregated())
        #expect(found.count == expected.count)
        #expect(zip(found, expected).allSatisfy {
            $0.user == $1.user && $0.item == $1.item && $0.weight.bitPattern == $1.weight.bitPattern && $0.lastSeen == $1.lastSeen
        })
    }
}

/// A seeded SplitMix64, for reproducible test data.
private struct SplitMix64: RandomNumberGenerator {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
