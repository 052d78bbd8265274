import Foundation
import Testing
@testable import EventStore

/// Records, deletion, purges and erasure in the store, against every `EventStore` implementation.
struct CatalogueRecordsTests {

    private static func event(_ user: String, _ item: String, id: String? = nil, at time: Double = 1_700_000_000) -> Event {
        Event(user: user, item: item, weight: 1, timestamp: time, id: id)
    }

    @Test(arguments: StoreKind.allCases)
    func aRecordClaimsAnItemIndexAndIsKeptAcrossAReopen(_ kind: StoreKind) throws {
        let directory = TemporaryDirectory()
        var store = try kind.make(in: directory)
        _ = try store.append([Self.event("u", "old")])
        let outcomes = try store.writeItems([
            ItemWrite(item: "new", action: .put(record: #"{"text":"a"}"#)),
            ItemWrite(item: "old", action: .put(record: #"{"text":"b"}"#)),
            ItemWrite(item: "new", action: .put(record: #"{"text":"c"}"#)),
        ])
        #expect(outcomes == [
            ItemWriteOutcome(index: 1, created: true, eventsDeleted: 0), ItemWriteOutcome(index: 0, created: true, eventsDeleted: 0),
            ItemWriteOutcome(index: 1, created: false, eventsDeleted: 0),
        ])
        #expect(store.itemIndex("new") == 1 && store.itemCount == 2 && store.eventCount(ofItem: 1) == 0)
        _ = try store.append([Self.event("u", "third")])
        #expect(store.itemIndex("third") == 2, "an index a record claimed is not given to another item")
        store.close()
        store = try kind.make(in: directory)
        defer { store.close() }
        let records = try store.storedRecords()
        #expect(records.items.map(\.index) == [0, 1] && records.items.map(\.json) == [#"{"text":"b"}"#, #"{"text":"c"}"#])
        #expect(store.itemIndex("third") == 2)
    }

    @Test(arguments: StoreKind.allCases)
    func deletingKeepsEventsUnlessPurgedAndAnUnknownItemIsNotFound(_ kind: StoreKind) throws {
        let directory = TemporaryDirectory()
        let store = try kind.make(in: directory)
        defer { store.close() }
        _ = try store.append([Self.event("u1", "a"), Self.event("u1", "b"), Self.event("u2", "b"), Self.event("u2", "b")])
        let kept = try store.writeItems([ItemWrite(item: "a", action: .delete(purge: false))])
        #expect(kept == [ItemWriteOutcome(index: 0, created: false, eventsDeleted: 0)])
        #expect(store.eventCount == 4)
        let purged = try store.writeItems([ItemWrite(item: "b", action: .delete(purge: true))])
        #expect(purged == [ItemWriteOutcome(index: 1, created: false, eventsDeleted: 3)])
        #expect(store.eventCount == 1 && store.eventCount(ofItem: 1) == 0 && store.eventCount(ofUser: 1) == 0)
        #expect(store.history(ofUser: 0).items == [0] && store.history(ofUser: 1).items.isEmpty)
        #expect(store.liveItemWeights() == [1, 0])
        #expect(store.interactionSnapshot().items == [0])
        #expect(try store.writeItems([ItemWrite(item: "never", action: .delete(purge: false))])
            == [ItemWriteOutcome(index: nil, created: false, eventsDeleted: 0)])
        let records = try store.storedRecords()
        #expect(records.items.map(\.deleted) == [true, true])
    }

    @Test(arguments: StoreKind.allCases)
    func erasureForgetsTheUserWithoutReusingTheirIndex(_ kind: StoreKind) throws {
        let directory = TemporaryDirectory()
        var store = try kind.make(in: directory)
        _ = try store.append([Self.event("keep", "x"), Self.event("gone", "x"), Self.event("gone", "y")])
        #expect(try store.writeUserRecords([("gone", #"{"labels":{}}"#), ("new", nil)]) == [1, 2])
        #expect(try store.eraseUser("gone") == 2)
        #expect(try store.eraseUser("gone") == nil)
        #expect(store.userIndex("gone") == nil && store.userID(at: 1) == nil)
        #expect(store.eventCount == 1 && store.eventCount(ofItem: 0) == 1 && store.eventCount(ofItem: 1) == 0)
        #expect(store.liveItemWeights() == [1, 0])
        _ = try store.append([Self.event("gone", "x")])
        #expect(store.userIndex("gone") == 3, "a returning id is a new user")
        store.close()
        store = try kind.make(in: directory)
        defer { store.close() }
        #expect(store.userIndex("gone") == 3 && store.userID(at: 1) == nil && store.userCount == 4)
        #expect(try store.storedRecords().users.isEmpty)
    }

    @Test func erasureLeavesNoByteOfTheUserInTheFiles() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("erase.sqlite")
        let store = try SQLiteEventStore(path: path)
        defer { store.close() }
        let events = (0..<200).map { Self.event("erasable-user-7f3a", "item-\($0 % 20)", id: "erasable-event-\($0)") }
        _ = try store.append(events)
        _ = try store.append([Self.event("another-user", "item-1", id: "kept-event")])
        _ = try store.writeUserRecords([("erasable-user-7f3a", #"{"labels":{"secret":"erasable-label-value"}}"#)])
        #expect(try store.eraseUser("erasable-user-7f3a") == 200)
        var bytes = Data()
        for file in [path, path + "-wal"] { bytes.append((try? Data(contentsOf: URL(fileURLWithPath: file))) ?? Data()) }
        for needle in ["erasable-user-7f3a", "erasable-event-", "erasable-label-value"] {
            #expect(bytes.range(of: Data(needle.utf8)) == nil, "\(needle) is still in the store's files")
        }
        #expect(bytes.range(of: Data("kept-event".utf8)) != nil)
    }

    @Test func migratesAVersionOneStoreKeepingItsEvents() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("v1.sqlite")
        do {
            let connection = try SQLiteConnection(path: path, readOnly: false)
            for sql in StoreSchema.migrations[0] { try connection.execute(sql) }
            try connection.execute("INSERT INTO users VALUES (1, 'u')")
            try connection.execute("INSERT INTO items VALUES (1, 'i')")
            try connection.execute("INSERT INTO events (user, item, type, weight, timestamp) VALUES (1, 1, 'view', 1, 5)")
            try connection.execute("PRAGMA user_version = 1")
            try connection.execute("PRAGMA application_id = \(StoreSchema.applicationID)")
            connection.close()
        }
        let store = try SQLiteEventStore(path: path)
        defer { store.close() }
        #expect(store.eventCount == 1 && store.itemIndex("i") == 0)
        #expect(try store.writeItems([ItemWrite(item: "i", action: .put(record: "{}"))]) == [ItemWriteOutcome(index: 0, created: true, eventsDeleted: 0)])
        #expect(try store.storedRecords().items.map(\.json) == ["{}"])
    }
}
