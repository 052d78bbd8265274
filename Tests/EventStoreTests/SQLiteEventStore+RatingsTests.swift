import Testing
@testable import EventStore

struct EventStoreRatingsTests {
    @Test func keepsTheLatestValuePerPairOfTheExplicitTypesOnly() throws {
        let directory = TemporaryDirectory()
        let store = try SQLiteEventStore(configuration: SQLiteEventStore.Configuration(path: directory.file("ratings.sqlite")))
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
}
