import EventFormats
import EventStore
import Glibc
import Locking
import PostgresStore
import TestSupport
import Testing

/// The change feed's changes that are not events: records, relations, purges and erasures committed through one
/// store reach another on the same database, applied in their place among the events.
@Suite(.enabled(if: PostgresTestDatabase.shouldRun, Comment(rawValue: PostgresTestDatabase.skipMessage)))
struct PostgresWriterFeedTests {
    /// What `b`'s record observer heard, flattened.
    private final class Heard: Sendable {
        let items = Lock<[Int32: (json: String?, deleted: Bool)]>([:])
        let users = Lock<[Int32: String?]>([:])

        init(_ store: PostgresEventStore) {
            store.observeRecordChanges { [items, users] changes in
                items.withLock { for item in changes.items { $0[item.index] = (item.json, item.deleted) } }
                users.withLock { for user in changes.users { $0[user.index] = user.json } }
            }
        }
    }

    @Test func recordsRelationsAndDeletionsReachTheOtherStoreAsTheyStand() throws {
        let shared = try SharedDatabase()
        let (a, b) = (try shared.open(), try shared.open())
        defer { a.close(); b.close() }
        let heard = Heard(b)
        _ = try a.writeItems([ItemWrite(item: "book", action: .put(record: #"{"categories":["a"]}"#))])
        _ = try a.writeItems([ItemWrite(item: "book", action: .put(record: #"{"categories":["b"]}"#))])
        _ = try a.writeUserRecords([("alice", #"{"labels":{"tier":"gold"}}"#)])
        _ = try a.writeRelations([Relation(from: "book", to: "pen", type: "also_bought", weight: 2)])
        let book = try #require(a.itemIndex("book")), pen = try #require(a.itemIndex("pen")), alice = try #require(a.userIndex("alice"))
        #expect(waitUntil(.seconds(1)) {
            heard.items.withLock { $0[book]?.json } == #"{"categories":["b"]}"# && heard.users.withLock { $0[alice] } == #"{"labels":{"tier":"gold"}}"#
                && b.relations(ofItem: book, direction: .outgoing).map(\.to) == [pen]
        } != nil, "the latest record and the relation within a second")
        #expect(b.relations(ofItem: pen, direction: .incoming).first?.weight == 2)

        _ = try a.writeItems([ItemWrite(item: "book", action: .delete(purge: false))])
        _ = try a.writeUserRecords([("alice", nil)])
        #expect(waitUntil(.seconds(1)) {
            heard.items.withLock { $0[book].map { $0.json == nil && $0.deleted } } == true && heard.users.withLock { $0[alice] } == .some(nil)
        } != nil, "a deletion and a removed record within a second")
        #expect(b.relations(ofItem: book, direction: .outgoing).count == 1, "a deletion without purge keeps the relations")
    }

    @Test func aPurgeLeavesTheOtherStoresHistoriesCountsAndRelationsAsTheDatabaseHasThem() throws {
        let shared = try SharedDatabase()
        let (a, b) = (try shared.open(), try shared.open())
        defer { a.close(); b.close() }
        let heard = Heard(b)
        _ = try a.append([view("alice", "book"), view("alice", "book"), view("alice", "pen"), view("bob", "book")])
        _ = try a.writeRelations([Relation(from: "pen", to: "book", type: "also_bought", weight: 1)])
        let book = try #require(a.itemIndex("book")), pen = try #require(a.itemIndex("pen"))
        let alice = try #require(a.userIndex("alice")), bob = try #require(a.userIndex("bob"))
        #expect(waitUntil(.seconds(1)) { b.eventCount == 4 && b.relationCount == 1 } != nil)

        // The purge and an event after it arrive in one look of the feed: the new event stays.
        _ = try a.writeItems([ItemWrite(item: "book", action: .delete(purge: true))])
        _ = try a.append([view("bob", "book")])
        #expect(waitUntil(.seconds(1)) { b.eventCount == 2 && heard.items.withLock { $0[book]?.deleted } == true } != nil)
        #expect(!b.hasSeen(user: alice, item: book) && b.hasSeen(user: alice, item: pen) && b.hasSeen(user: bob, item: book))
        #expect(b.eventCount(ofItem: book) == 1 && b.eventCount(ofItem: pen) == 1)
        #expect(b.eventCount(ofUser: alice) == 1 && b.eventCount(ofUser: bob) == 1)
        #expect(b.history(ofUser: alice).items == [pen] && b.relationCount == 0)
        #expect(b.liveItemWeights()[Int(book)] == 1, "the purged weight left, the new event's is there")
        #expect(b.interactionSnapshot().users.count == a.interactionSnapshot().users.count)
    }

    @Test func anErasureEmptiesTheUserOnTheOtherStoreAndTheNameCanComeBackAsANewUser() throws {
        let shared = try SharedDatabase()
        let (a, b) = (try shared.open(), try shared.open())
        defer { a.close(); b.close() }
        let heard = Heard(b)
        _ = try a.writeUserRecords([("alice", "{}")])
        _ = try a.append([view("alice", "book"), view("alice", "book"), view("alice", "pen"), view("bob", "pen")])
        let erased = try #require(a.userIndex("alice")), book = try #require(a.itemIndex("book")), pen = try #require(a.itemIndex("pen"))
        #expect(waitUntil(.seconds(1)) { b.eventCount == 4 } != nil)
        let revision = b.historyRevision(ofUser: erased)

        // Erased, then the name comes back in the same look of the feed: a new user with a new index.
        #expect(try a.eraseUser("alice") == 3)
        _ = try a.append([view("alice", "pen")])
        let returned = try #require(a.userIndex("alice"))
        #expect(returned != erased)
        #expect(waitUntil(.seconds(1)) { b.userIndex("alice") == returned && b.eventCount == 2 } != nil)
        #expect(b.history(ofUser: erased).items.isEmpty && b.historyRevision(ofUser: erased) != revision, "cached answers go stale")
        #expect(b.userID(at: erased) == nil || b.userID(at: erased) == "")
        #expect(b.eventCount(ofItem: book) == 0 && b.eventCount(ofItem: pen) == 2 && b.eventCount(ofUser: erased) == 0)
        #expect(b.liveItemWeights()[Int(book)] == 0)
        #expect(heard.users.withLock { $0[erased] } == .some(nil), "the catalogue drops the record")
    }

    /// Both stores' connections are cut (the server ends their sessions); what one stores after reconnecting, the
    /// other's feed reads once it has reconnected too, from where its cursor stood.
    @Test func theFeedOfRecordsAndErasuresResumesFromItsCursorAfterTheConnectionsWereCut() throws {
        let shared = try SharedDatabase()
        let (a, b) = (try shared.open(), try shared.open())
        defer { a.close(); b.close() }
        let heard = Heard(b)
        _ = try a.append([view("alice", "book"), view("bob", "book")])
        let alice = try #require(a.userIndex("alice")), book = try #require(a.itemIndex("book"))
        #expect(waitUntil(.seconds(1)) { b.eventCount == 2 } != nil)
        let cut = try shared.database.execute("""
            SELECT pg_terminate_backend(pid) FROM pg_stat_activity
            WHERE datname = current_database() AND pid <> pg_backend_pid() AND application_name = 'recsmith'
            """)
        #expect(cut.count >= 2 && cut.allSatisfy { $0 == ["t"] }, "both stores' writer connections were ended")
        // The first write after the cut finds its connection broken; a later one reconnects.
        var stored = false
        for _ in 0..<50 where !stored {
            stored = (try? a.writeItems([ItemWrite(item: "book", action: .put(record: #"{"text":"after"}"#))])) != nil
            if !stored { usleep(100_000) }
        }
        #expect(stored)
        #expect(try a.eraseUser("alice") == 1)
        #expect(waitUntil(.seconds(5)) {
            heard.items.withLock { $0[book]?.json } == #"{"text":"after"}"# && heard.users.withLock { $0[alice] } == .some(nil)
                && b.eventCount == 1 && !b.hasSeen(user: alice, item: book)
        } != nil, "b reconnects and reads the record and the erasure it missed")
        #expect(b.eventCount(ofItem: book) == 1 && b.unreachableSince == nil)
    }
}
