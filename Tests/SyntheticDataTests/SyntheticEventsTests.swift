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

    @Test func oneTierPlantsOneSuccessorListPerItem() {
        var generator = SyntheticEvents(userCount: 40, itemCount: 100, eventCount: 0, seed: 3)
        generator.successorTiers = 1
        #expect(generator.successorTable().count == 100 * 3)
        #expect(generator.successorStart(of: 17, afterTier: 0) == 17 * 3)
        #expect(generator.tier(ofItem: 99) == 0)
    }

    @Test func everyTiersSuccessorsComeFromThatTier() {
        var generator = SyntheticEvents(userCount: 80, itemCount: 203, eventCount: 0, seed: 3)
        generator.successorTiers = 4
        let table = generator.successorTable()
        #expect(table.count == 203 * 4 * 3)
        for item in 0..<203 {
            for tier in 0..<4 {
                let start = generator.successorStart(of: item, afterTier: tier)
                #expect(table[start..<start + 3].allSatisfy { (0..<203).contains($0) && generator.tier(ofItem: $0) == tier })
            }
        }
        #expect((0..<25).allSatisfy { block in Set((0..<4).map { generator.tier(ofItem: block * 8 + $0) }).count == 4 },
                "every cluster's slice holds every tier")
    }

    /// The planted structure a first-order table cannot hold: after the same previous item, users follow the list of
    /// the tier of the item before it and almost never another tier's, so the next-item distribution given the
    /// previous item alone mixes `successorTiers` lists; and the previous item does not give the tier away.
    @Test func successorsDependOnTheItemBeforeThePreviousOneToo() {
        var generator = SyntheticEvents(userCount: 400, itemCount: 300, eventCount: 60_000, seed: 5)
        generator.sequenceShare = 0.6
        generator.successorTiers = 4
        let table = generator.successorTable()
        var previous = [Int](repeating: -1, count: 400), earlier = previous
        var steps = 0, followedOwn = 0, followedOther = 0, sameTier = 0
        for event in generator.events() {
            if earlier[event.user] >= 0 {
                steps += 1
                let context = generator.tier(ofItem: earlier[event.user])
                let own = generator.successorStart(of: previous[event.user], afterTier: context)
                let other = generator.successorStart(of: previous[event.user], afterTier: (context + 1) % 4)
                if table[own..<own + 3].contains(event.item) { followedOwn += 1 }
                if table[other..<other + 3].contains(event.item) { followedOther += 1 }
                if generator.tier(ofItem: previous[event.user]) == context { sameTier += 1 }
            }
            earlier[event.user] = previous[event.user]
            previous[event.user] = event.item
        }
        // 60% follow the context's list by construction (plus chance hits); another tier's list only by chance.
        #expect(Double(followedOwn) / Double(steps) > 0.58 && Double(followedOwn) / Double(steps) < 0.7)
        #expect(Double(followedOther) / Double(steps) < 0.03)
        // The previous item's own tier matches the context about as often as chance (1 in 4).
        #expect(abs(Double(sameTier) / Double(steps) - 0.25) < 0.05)
    }

    @Test func tiersAreSeededAndLeaveTheEventsWithoutSequencesAlone() {
        var generator = SyntheticEvents(userCount: 50, itemCount: 200, eventCount: 500, seed: 7)
        let plain = generator.events()
        generator.successorTiers = 3
        #expect(generator.events() == plain)
        generator.sequenceShare = 0.5
        #expect(generator.events() == generator.events())
        var oneTier = generator
        oneTier.successorTiers = 1
        #expect(oneTier.events() != generator.events())
    }
}
