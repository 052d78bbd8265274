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

    @Test func oneSegmentPlantsTheSameSuccessorsForEveryUser() {
        var generator = SyntheticEvents(userCount: 40, itemCount: 100, eventCount: 0, seed: 3)
        generator.successorSegments = 1
        let table = generator.successorTable()
        #expect(table.count == 100 * 3)
        #expect((0..<40).allSatisfy { generator.successorStart(of: 17, forUser: $0) == 17 * 3 })
    }

    @Test func segmentSuccessorsComeFromTheSegmentsTier() {
        var generator = SyntheticEvents(userCount: 80, itemCount: 203, eventCount: 0, seed: 3)
        generator.successorSegments = 4
        let table = generator.successorTable()
        #expect(table.count == 203 * 4 * 3)
        for user in 0..<80 {
            let start = generator.successorStart(of: user % 203, forUser: user)
            #expect(table[start..<start + 3].allSatisfy {
                (0..<203).contains($0) && generator.tier(ofItem: $0) == generator.segment(ofUser: user)
            })
        }
        #expect(Set((0..<80).map(generator.segment(ofUser:))) == [0, 1, 2, 3])
        #expect(Set((0..<80).filter { $0 % generator.clusterCount == 0 }.map(generator.segment(ofUser:))).count == 4,
                "segments cut across the taste clusters")
    }

    /// The planted structure a first-order table cannot hold: after the same previous item, users follow their own
    /// segment's successors and almost never another segment's, so the next-item distribution given the previous
    /// item alone mixes `successorSegments` lists. And the segment is visible in the history.
    @Test func segmentSuccessorsDependOnTheKindOfUserAsWellAsThePreviousItem() {
        var generator = SyntheticEvents(userCount: 400, itemCount: 300, eventCount: 60_000, seed: 5)
        generator.sequenceShare = 0.6
        generator.successorSegments = 4
        let table = generator.successorTable()
        var previous = [Int](repeating: -1, count: 400)
        var steps = 0, followedOwn = 0, followedOther = 0, inOwnTier = 0
        for event in generator.events() {
            if generator.tier(ofItem: event.item) == generator.segment(ofUser: event.user) { inOwnTier += 1 }
            if previous[event.user] >= 0 {
                steps += 1
                let own = generator.successorStart(of: previous[event.user], forUser: event.user)
                // The same item's list for the next segment: users 8 apart are a segment apart.
                let other = generator.successorStart(of: previous[event.user], forUser: event.user + generator.clusterCount)
                if table[own..<own + 3].contains(event.item) { followedOwn += 1 }
                if table[other..<other + 3].contains(event.item) { followedOther += 1 }
            }
            previous[event.user] = event.item
        }
        // 60% follow their segment's list by construction (plus chance hits); another segment's list only by chance.
        #expect(Double(followedOwn) / Double(steps) > 0.58 && Double(followedOwn) / Double(steps) < 0.7)
        #expect(Double(followedOther) / Double(steps) < 0.03)
        // Followed successors all sit in the user's tier, the other 40% about a quarter of the time: 0.6 + 0.4 / 4,
        // far above the quarter a history without segments has.
        #expect(Double(inOwnTier) / 60_000 > 0.6)
    }

    @Test func segmentsAreSeededAndLeaveTheEventsWithoutSequencesAlone() {
        var generator = SyntheticEvents(userCount: 50, itemCount: 200, eventCount: 500, seed: 7)
        let plain = generator.events()
        generator.successorSegments = 3
        #expect(generator.events() == plain)
        generator.sequenceShare = 0.5
        #expect(generator.events() == generator.events())
        var oneSegment = generator
        oneSegment.successorSegments = 1
        #expect(oneSegment.events() != generator.events())
    }
}
