import Testing
@testable import EventStore

struct EventStoreExportTests {
    @Test(arguments: StoreKind.allCases)
    func exportsEveryEventInStoredOrderWithIDs(_ kind: StoreKind) throws {
        let fixture = StoreFixture(kind)
        let store = try fixture.open()
        defer { store.close() }
        let events = [
            Event(user: "u1", item: "a,\"b\"", type: "view", weight: 1, timestamp: 100, id: "e1"),
            Event(user: "u2", item: "c", type: "purchase", weight: 3, timestamp: 101.5),
            Event(user: "u1", item: "c", type: "rating", weight: 4.5, timestamp: 102, id: "e3"),
        ]
        _ = try store.append(events)
        var exported: [Event] = []
        try store.exportEvents { exported.append($0) }
        #expect(exported == events)
    }

    @Test(arguments: StoreKind.allCases)
    func keepsTimestampsBefore1970Exactly(_ kind: StoreKind) throws {
        let fixture = StoreFixture(kind)
        let store = try fixture.open()
        defer { store.close() }
        let events = [
            Event(user: "u1", item: "a", timestamp: -57_687_422_290),  // 0141-12-15T22:51:50-13:10
            Event(user: "u1", item: "b", timestamp: -0.25),
            Event(user: "u2", item: "a", timestamp: -62_167_305_540),  // 0000-01-01T00:00:00+23:59
        ]
        _ = try store.append(events)
        var exported: [Event] = []
        try store.exportEvents { exported.append($0) }
        #expect(exported == events)
        // The user's aggregate keeps the latest time, negative or not.
        #expect(store.interactionSnapshot().lastSeen.sorted() == [-62_167_305_540, -57_687_422_290, -0.25])
    }
}
