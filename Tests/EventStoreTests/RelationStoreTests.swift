import EventFormats
import Foundation
import Testing
@testable import EventStore

/// Relations in the store: upserts by (from, to, type), ids, reads, purges, reopening and the v2 → v3 migration.
struct RelationStoreTests {

    private static func relation(_ from: String, _ to: String, _ type: String = "also_bought", _ weight: Float = 1) -> Relation {
        Relation(from: from, to: to, type: type, weight: weight)
    }

    @Test(arguments: StoreKind.allCases)
    func aRepeatedRelationIsStoredOnceAndANewWeightReplacesTheOld(_ kind: StoreKind) throws {
        let directory = TemporaryDirectory()
        let store = try kind.make(in: directory)
        defer { store.close() }
        let first = try store.writeRelations([Self.relation("a", "b"), Self.relation("a", "b", "also_viewed", 0.5)])
        #expect(first == RelationWriteResult(accepted: 2, unchanged: 0))
        let again = try store.writeRelations([Self.relation("a", "b"), Self.relation("a", "b", "also_viewed", 0.7)])
        #expect(again == RelationWriteResult(accepted: 1, unchanged: 1))
        #expect(store.relationCount == 2)
        #expect(store.itemIndex("a") == 0 && store.itemIndex("b") == 1, "a relation claims item indices")
        let snapshot = store.relationSnapshot()
        #expect(snapshot.from == [0] && snapshot.to == [1] && snapshot.weights == [1.7], "types sum per directed pair")
    }

    @Test(arguments: StoreKind.allCases)
    func relationsOfAnItemAreListedByDirectionAndSortedByTheOtherItem(_ kind: StoreKind) throws {
        let directory = TemporaryDirectory()
        let store = try kind.make(in: directory)
        defer { store.close() }
        _ = try store.writeRelations([Self.relation("a", "c"), Self.relation("a", "b"), Self.relation("b", "a", "also_viewed", 2)])
        // Indices in order of first mention: a 0, c 1, b 2.
        #expect(store.relations(ofItem: 0, direction: .outgoing) == [
            StoredRelation(from: 0, to: 1, type: "also_bought", weight: 1), StoredRelation(from: 0, to: 2, type: "also_bought", weight: 1),
        ])
        #expect(store.relations(ofItem: 0, direction: .incoming) == [StoredRelation(from: 2, to: 0, type: "also_viewed", weight: 2)])
        #expect(store.relations(ofItem: 1, direction: .outgoing).isEmpty)
    }

    @Test(arguments: StoreKind.allCases)
    func purgingAnItemDeletesItsRelationsAndPlainDeletionKeepsThem(_ kind: StoreKind) throws {
        let directory = TemporaryDirectory()
        var store = try kind.make(in: directory)
        _ = try store.writeRelations([Self.relation("a", "b"), Self.relation("c", "a"), Self.relation("b", "c")])
        _ = try store.writeItems([ItemWrite(item: "b", action: .delete(purge: false))])
        #expect(store.relationCount == 3)
        _ = try store.writeItems([ItemWrite(item: "a", action: .delete(purge: true))])
        #expect(store.relationCount == 1)
        #expect(store.relations(ofItem: store.itemIndex("c")!, direction: .incoming).count == 1)
        store.close()
        store = try kind.make(in: directory)
        defer { store.close() }
        var exported: [Relation] = []
        try store.exportRelations { exported.append($0) }
        #expect(exported == [Self.relation("b", "c")], "the purge is durable and the rest survives a reopen")
    }

    @Test func migratesAVersionTwoStoreToOneWithRelations() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("v2.sqlite")
        do {
            let connection = try SQLiteConnection(path: path, readOnly: false)
            for step in 0..<2 { for sql in StoreSchema.migrations[step] { try connection.execute(sql) } }
            try connection.execute("INSERT INTO users VALUES (1, 'u', NULL)")
            try connection.execute("INSERT INTO items VALUES (1, 'i', '{}', 0)")
            try connection.execute("INSERT INTO events (user, item, type, weight, timestamp) VALUES (1, 1, 'view', 1, 5)")
            try connection.execute("PRAGMA user_version = 2")
            try connection.execute("PRAGMA application_id = \(StoreSchema.applicationID)")
            connection.close()
        }
        let store = try SQLiteEventStore(path: path)
        defer { store.close() }
        #expect(store.eventCount == 1 && store.relationCount == 0)
        #expect(try store.writeRelations([Self.relation("i", "j")]) == RelationWriteResult(accepted: 1, unchanged: 0))
        #expect(store.itemIndex("j") == 1)
        #expect(try store.storedRecords().items.map(\.json) == ["{}"])
    }
}
