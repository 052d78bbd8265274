import Testing
@testable import EventStore

struct EventStoreRatingsTests {
    @Test(arguments: StoreKind.allCases)
    func keepsTheLatestValuePerPairOfTheExplicitTypesOnly(_ kind: StoreKind) throws {
        let fixture = StoreFixture(kind)
        let store = try fixture.open()
        defer { store.close() }
        _ = try store.append([
            Event(user: "u1", item: "a", type: "rating", weight: 2, timestamp: 200),
            Event(user: "u1", item: "a", type: "rating", weight: 5, timestamp: 100),  // stored later, older: loses
            Event(user: "u1", item: "b", type: "view", weight: 1, timestamp: 300),  // not a rating
            Event(user: "u2", item: "b", type: "stars", weight: 3, timestamp: 50),
            Event(user: "u2", item: "b", type: "rating", weight: 4, timestamp: 50),  // same time, stored last: wins
            Event(user: "u2", item: "a", type: "rating", weight: 1.5, timestamp: 10),
        ])
        let u1 = try #require(store.userIndex("u1")), u2 = try #require(store.userIndex("u2"))
        let a = try #require(store.itemIndex("a")), b = try #require(store.itemIndex("b"))
        let all = try store.latestRatings(types: ["rating", "stars"], user: nil)
        #expect(all == RatingSnapshot(users: [u1, u2, u2], items: [a, a, b], values: [2, 1.5, 4]))
        #expect(try store.latestRatings(types: ["stars"], user: nil) == RatingSnapshot(users: [u2], items: [b], values: [3]))
        #expect(try store.latestRatings(types: ["rating"], user: u2) == RatingSnapshot(users: [u2, u2], items: [a, b], values: [1.5, 4]))
        #expect(try store.latestRatings(types: [], user: nil).count == 0)
    }

    /// One user's ratings of the configured explicit types come from memory; asking for another set of types reads
    /// the table. Both must agree through ties, later batches, a reopen, a purged item and an erased user.
    @Test(arguments: StoreKind.allCases)
    func oneUsersRatingsFromMemoryMatchTheTableThroughReopenPurgeAndErase(_ kind: StoreKind) throws {
        let fixture = StoreFixture(kind)
        // A set of types other than the configured one takes the table's path; "none" matches no event.
        func expectMemoryMatchesTable(_ store: any EventStore, _ users: [String], _ comment: Comment) throws {
            for user in users {
                guard let index = store.userIndex(user) else { continue }
                let memory = try store.latestRatings(types: ["stars", "rating"], user: index)
                #expect(memory == (try store.latestRatings(types: ["rating", "stars", "none"], user: index)), comment)
            }
        }
        var store = try fixture.open(explicitTypes: ["rating", "stars"])
        _ = try store.append([
            Event(user: "u1", item: "a", type: "rating", weight: 2, timestamp: 200),
            Event(user: "u1", item: "a", type: "stars", weight: 5, timestamp: 100),  // older: loses
            Event(user: "u1", item: "b", type: "view", weight: 1, timestamp: 300),  // not a rating
            Event(user: "u2", item: "b", type: "stars", weight: 3, timestamp: 50),
            Event(user: "u2", item: "b", type: "rating", weight: 4, timestamp: 50),  // same time, stored last: wins
            Event(user: "u2", item: "c", type: "rating", weight: 1.5, timestamp: 10),
        ])
        _ = try store.append([
            Event(user: "u2", item: "c", type: "rating", weight: 2.5, timestamp: 10),  // a later batch wins the tie
            Event(user: "u1", item: "c", type: "rating", weight: 1, timestamp: 5),
        ])
        let u2 = try #require(store.userIndex("u2"))
        let b = try #require(store.itemIndex("b")), c = try #require(store.itemIndex("c"))
        #expect(try store.latestRatings(types: ["rating", "stars"], user: u2) == RatingSnapshot(users: [u2, u2], items: [b, c], values: [4, 2.5]))
        try expectMemoryMatchesTable(store, ["u1", "u2"], "after appends")

        store.close()
        store = try fixture.open(explicitTypes: ["rating", "stars"])
        defer { store.close() }
        #expect(try store.latestRatings(types: ["rating", "stars"], user: u2) == RatingSnapshot(users: [u2, u2], items: [b, c], values: [4, 2.5]))
        try expectMemoryMatchesTable(store, ["u1", "u2"], "after reopening")

        _ = try store.writeItems([ItemWrite(item: "c", action: .delete(purge: true))])
        #expect(try store.latestRatings(types: ["rating", "stars"], user: u2) == RatingSnapshot(users: [u2], items: [b], values: [4]))
        try expectMemoryMatchesTable(store, ["u1", "u2"], "after purging c")
        _ = try store.eraseUser("u2")
        #expect(try store.latestRatings(types: ["rating", "stars"], user: u2).count == 0)
        try expectMemoryMatchesTable(store, ["u1"], "after erasing u2")
    }
}
