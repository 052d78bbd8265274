import Foundation
import Testing
@testable import EventStore

/// The dashboard's reads of the store: events per hour and type kept by the writes themselves (duplicates,
/// erasure and purges included, and built for a store of an earlier version), a user's latest events, and an
/// item's events per day.
struct EventActivityTests {
    private static let hour: Double = 3600 * 480_000

    private static func event(_ user: String, _ item: String, _ type: String = "view", at time: Double, id: String? = nil) -> Event {
        Event(user: user, item: item, type: type, timestamp: time, id: id)
    }

    @Test(arguments: StoreKind.allCases)
    func countsEventsPerHourAndTypeButNotDuplicates(_ kind: StoreKind) throws {
        let directory = TemporaryDirectory()
        let store = try kind.make(in: directory)
        defer { store.close() }
        _ = try store.append([
            Self.event("a", "x", at: Self.hour + 1, id: "e1"), Self.event("a", "y", at: Self.hour + 3599),
            Self.event("b", "x", "purchase", at: Self.hour + 3600), Self.event("b", "y", at: Self.hour - 1),
        ])
        _ = try store.append([Self.event("a", "x", at: Self.hour + 1, id: "e1")])
        _ = try store.appendBulk([Self.event("c", "z", "purchase", at: Self.hour + 7200)])
        let first = Int64(Self.hour / 3600)
        let activity = try store.eventActivity(hours: (first - 1)...(first + 3))
        #expect(activity.hourly == [1, 2, 1, 1, 0])
        #expect(activity.types.map(\.type) == ["purchase", "view"] || activity.types.map(\.type) == ["view", "purchase"])
        #expect(Dictionary(uniqueKeysWithValues: activity.types.map { ($0.type, $0.events) }) == ["view": 3, "purchase": 2])
        #expect(activity.types.first?.type == "view", "most events first")
        #expect(activity.latestHour == first + 2)
        #expect(try store.eventActivity(hours: 0...0).latestHour == first + 2)
    }

    @Test(arguments: StoreKind.allCases)
    func erasureAndPurgesTakeTheirEventsOutOfTheCounts(_ kind: StoreKind) throws {
        let directory = TemporaryDirectory()
        let store = try kind.make(in: directory)
        defer { store.close() }
        _ = try store.append([
            Self.event("a", "x", at: Self.hour), Self.event("a", "y", "cart", at: Self.hour),
            Self.event("b", "x", at: Self.hour), Self.event("b", "z", at: Self.hour + 3600),
        ])
        let first = Int64(Self.hour / 3600)
        #expect(try store.eraseUser("a") == 2)
        var activity = try store.eventActivity(hours: first...(first + 1))
        #expect(activity.hourly == [1, 1])
        #expect(activity.types.map(\.type) == ["view"], "a type with no event left is gone")
        _ = try store.writeItems([ItemWrite(item: "z", action: .delete(purge: true))])
        activity = try store.eventActivity(hours: first...(first + 1))
        #expect(activity.hourly == [1, 0])
        #expect(activity.latestHour == first)
    }

    @Test(arguments: StoreKind.allCases)
    func latestEventsAreNewestFirstAndEventsPerDayCountAnItem(_ kind: StoreKind) throws {
        let directory = TemporaryDirectory()
        let store = try kind.make(in: directory)
        defer { store.close() }
        _ = try store.append([Self.event("a", "x", at: 10), Self.event("b", "x", at: 20), Self.event("a", "y", "cart", at: 86_400 * 3)])
        _ = try store.append([Self.event("a", "x", "purchase", at: 86_400 * 3 + 5)])
        let user = try #require(store.userIndex("a"))
        let latest = try store.latestEvents(ofUser: user, limit: 2)
        #expect(latest.map(\.type) == ["purchase", "cart"])
        #expect(latest.map { store.itemID(at: $0.item) } == ["x", "y"])
        #expect(try store.latestEvents(ofUser: user, limit: 10).count == 3)
        let item = try #require(store.itemIndex("x"))
        #expect(try store.eventsPerDay(ofItem: item).map { "\($0.day):\($0.events)" } == ["0:2", "3:1"])
    }

    @Test func migratesAVersionThreeStoreCountingItsEvents() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("v3.sqlite")
        do {
            let connection = try SQLiteConnection(path: path, readOnly: false)
            for step in 0..<3 { for sql in StoreSchema.migrations[step] { try connection.execute(sql) } }
            try connection.execute("INSERT INTO users VALUES (1, 'u', NULL)")
            try connection.execute("INSERT INTO items VALUES (1, 'i', NULL, 0)")
            try connection.execute("INSERT INTO events (user, item, type, weight, timestamp) VALUES (1, 1, 'view', 1, 5), (1, 1, 'view', 1, 3605), (1, 1, 'cart', 1, 3700)")
            try connection.execute("PRAGMA user_version = 3")
            try connection.execute("PRAGMA application_id = \(StoreSchema.applicationID)")
            connection.close()
        }
        let store = try SQLiteEventStore(path: path)
        defer { store.close() }
        let activity = try store.eventActivity(hours: 0...1)
        #expect(activity.hourly == [1, 2])
        #expect(Dictionary(uniqueKeysWithValues: activity.types.map { ($0.type, $0.events) }) == ["view": 2, "cart": 1])
    }
}
