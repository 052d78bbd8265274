import Testing
@testable import SyntheticData

struct SyntheticEventsTests {
    @Test func sameSeedGivesSameEvents() {
        let generator = SyntheticEvents(userCount: 50, itemCount: 200, eventCount: 1000, seed: 7)
        #expect(generator.events() == generator.events())
        var other = generator
        other.seed = 8
        #expect(other.events() != generator.events())
    }

    @Test func staysWithinBoundsAndTimeIncreases() {
        let events = SyntheticEvents(userCount: 30, itemCount: 100, eventCount: 2000).events()
        #expect(events.count == 2000)
        #expect(events.allSatisfy { (0..<30).contains($0.user) && (0..<100).contains($0.item) })
        #expect(zip(events, events.dropFirst()).allSatisfy { $0.timestamp < $1.timestamp })
        #expect(Set(events.map(\.weight)).isSubset(of: [1, 2, 3]))
    }

    @Test func plantsClusterStructure() {
        let generator = SyntheticEvents(userCount: 80, itemCount: 400, eventCount: 20_000)
        let sliceSize = 400 / generator.clusterCount
        let inOwnSlice = generator.events().filter { $0.item / sliceSize == generator.cluster(ofUser: $0.user) }.count
        #expect(Double(inOwnSlice) / 20_000 > 0.7)
    }

    @Test func popularityIsSkewed() {
        let events = SyntheticEvents(userCount: 100, itemCount: 1000, eventCount: 20_000).events()
        var counts = [Int](repeating: 0, count: 1000)
        for event in events { counts[event.item] += 1 }
        let sorted = counts.sorted(by: >)
        #expect(sorted.prefix(100).reduce(0, +) > sorted.suffix(500).reduce(0, +) * 3)
    }

    @Test func plantsSuccessorsOfEachUsersPreviousItem() {
        var generator = SyntheticEvents(userCount: 60, itemCount: 300, eventCount: 10_000, seed: 5)
        generator.sequenceShare = 0.6
        let successors = generator.successorTable()
        var previous = [Int](repeating: -1, count: 60), followed = 0, steps = 0
        for event in generator.events() {
            if previous[event.user] >= 0 {
                steps += 1
                let planted = successors[previous[event.user] * 3..<(previous[event.user] + 1) * 3]
                if planted.contains(event.item) { followed += 1 }
            }
            previous[event.user] = event.item
        }
        // 60% follow by construction, plus the few the other draws hit by chance.
        #expect(Double(followed) / Double(steps) > 0.58 && Double(followed) / Double(steps) < 0.7)
        #expect(generator.events() == generator.events())
    }

    @Test func successorCountDoesNotMoveEventsWithoutSequences() {
        var generator = SyntheticEvents(userCount: 50, itemCount: 200, eventCount: 500, seed: 7)
        let plain = generator.events()
        generator.successorsPerItem = 5
        #expect(generator.events() == plain, "the successor table is drawn only when sequences are on")
    }
}
