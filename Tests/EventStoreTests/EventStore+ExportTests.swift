import Testing
@testable import EventStore

struct EventStoreExportTests {
    @Test func exportsEveryEventInStoredOrderWithIDs() throws {
        let directory = TemporaryDirectory()
        let store = try EventStore(configuration: EventStore.Configuration(path: directory.file("export.sqlite")))
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
}
