import Dispatch
import EventFormats
import EventStore
import Locking
import PostgresStore
import Synchronization
import TestSupport
import Testing

/// Two `PostgresEventStore`s on one database stand for two processes: what one commits the other applies through
/// the change feed.
@Suite(.enabled(if: PostgresTestDatabase.shouldRun, Comment(rawValue: PostgresTestDatabase.skipMessage)))
struct EventFeedTests {
    @Test func anEventAppendedThroughOneStoreIsSeenByTheOtherWithinASecond() throws {
        let shared = try SharedDatabase()
        let (a, b) = (try shared.open(), try shared.open())
        defer { a.close(); b.close() }
        let heard = Lock<[GroupCommit]>([])
        b.observeCommits { commit in heard.withLock { $0.append(commit) } }
        _ = try a.append([view("alice", "book"), view("bob", "pen")])
        let user = try #require(a.userIndex("alice")), item = try #require(a.itemIndex("book"))
        #expect(a.hasSeen(user: user, item: item), "the accepting store sees it at once")
        let took = waitUntil(.seconds(1)) { b.userIndex("alice") == user && b.hasSeen(user: user, item: item) }
        #expect(took != nil, "the other store must exclude the item within a second")
        #expect(b.itemIndex("pen") == a.itemIndex("pen") && b.eventCount == 2)
        let commits = heard.withLock { $0 }
        #expect(commits.contains { $0.requests == 0 && $0.events == 2 && $0.succeeded }, "the feed tells the commit observers")
    }

    @Test func catchUpAppliesWhatTheOtherStoreCommittedBeforeItReturns() throws {
        let shared = try SharedDatabase()
        let a = try shared.open()
        // The slowest poll allowed, so that what the other store sees right after an append is catchUp's doing.
        let b = try PostgresEventStore(configuration: PostgresEventStore.Configuration(target: shared.target, feedInterval: .milliseconds(250)))
        defer { a.close(); b.close() }
        for round in 1...5 {
            _ = try a.append((0..<10).map { view("u\(round)", "i\($0)") })
            try b.catchUp()
            #expect(b.eventCount == round * 10, "round \(round): \(b.eventCount) events applied")
            #expect(b.userIndex("u\(round)") == a.userIndex("u\(round)"))
        }
    }

    /// The gap case: many transactions from two stores commit concurrently; a third store's feed must apply every
    /// row, none skipped by a cursor that moved past a later seq while an earlier one was still uncommitted.
    @Test func concurrentAppendersThroughTwoStoresLoseNoRowOfTheFeed() throws {
        let shared = try SharedDatabase()
        let writers = [try shared.open(), try shared.open()]
        let reader = try shared.open()
        defer { for store in writers + [reader] { store.close() } }
        let threads = 8, requests = 30, perRequest = 20
        let failures = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: threads) { thread in
            let store = writers[thread % 2]
            for request in 0..<requests {
                let events = (0..<perRequest).map { k in view("u\((thread * 7 + k) % 53)", "i\((request * 3 + k) % 41)") }
                if (try? store.append(events)) == nil { failures.add(1, ordering: .relaxed) }
            }
        }
        let total = threads * requests * perRequest
        #expect(failures.load(ordering: .relaxed) == 0)
        #expect(waitUntil(.seconds(2)) { reader.eventCount == total } != nil, "the reader has \(reader.eventCount) of \(total)")
        // Every store ends with the same ids and the same aggregates.
        _ = waitUntil(.seconds(2)) { writers.allSatisfy { $0.eventCount == total } }
        let expected = reader.interactionSnapshot()
        for store in writers {
            let snapshot = store.interactionSnapshot()
            #expect(snapshot.users == expected.users && snapshot.items == expected.items && snapshot.weights == expected.weights)
            #expect(store.userID(at: 7) == reader.userID(at: 7) && store.itemID(at: 9) == reader.itemID(at: 9))
        }
        #expect(expected.weights.reduce(0, +) == Float(total))
    }

    @Test func anEventIDStoredThroughOneStoreIsADuplicateThroughTheOther() throws {
        let shared = try SharedDatabase()
        let (a, b) = (try shared.open(), try shared.open())
        defer { a.close(); b.close() }
        #expect(try a.append([view("u", "x", id: "e1")]) == AppendResult(accepted: 1, duplicates: 0))
        // At once, without waiting for the feed: the lookup happens in the database under the write lock.
        #expect(try b.append([view("v", "y", id: "e1"), view("v", "y", id: "e2")]) == AppendResult(accepted: 1, duplicates: 1))
        #expect(try b.appendBulk([view("w", "z", id: "e2"), view("w", "z", id: "e1")]) == AppendResult(accepted: 0, duplicates: 2))
        #expect(try shared.database.execute("SELECT count(*) FROM events") == [["2"]])
        // Ids stay dense across the two: b's first new user took the index after a's.
        #expect(b.userIndex("v") == 1 && b.userIndex("u") == 0 && b.userIndex("w") == nil)
        #expect(waitUntil(.seconds(1)) { a.userIndex("v") == 1 && a.itemIndex("y") == 1 } != nil)
    }

    @Test func aRefusedBatchStoresNothingClaimsNoIDAndTheStoreGoesOn() throws {
        let shared = try SharedDatabase()
        let store = try shared.open()
        defer { store.close() }
        let heard = Lock<[Bool]>([])
        store.observeCommits { commit in heard.withLock { $0.append(commit.succeeded) } }
        // PostgreSQL text cannot hold a NUL byte, so the database refuses the whole batch (validation would refuse
        // such an id before it reached a store; here it stands for any failure inside the transaction).
        #expect(throws: EventStoreError.self) {
            try store.append([view("good", "x", id: "k1"), view("bad\u{0}", "x")])
        }
        #expect(store.eventCount == 0 && store.userIndex("good") == nil && store.itemIndex("x") == nil)
        #expect(try shared.database.execute("SELECT (SELECT count(*) FROM events) + (SELECT count(*) FROM users)") == [["0"]])
        #expect(try store.append([view("good", "x", id: "k1")]) == AppendResult(accepted: 1, duplicates: 0))
        #expect(store.userIndex("good") == 0 && store.itemIndex("x") == 0)
        #expect(heard.withLock { $0 } == [false, true])
    }

    @Test func aRecordOrRelationFromOneStoreClaimsAnIndexTheOtherRespects() throws {
        let shared = try SharedDatabase()
        let (a, b) = (try shared.open(), try shared.open())
        defer { a.close(); b.close() }
        _ = try a.writeItems([ItemWrite(item: "recorded", action: .put(record: "{}"))])
        _ = try b.writeRelations([Relation(from: "p", to: "q", type: "also_bought", weight: 1)])
        _ = try a.append([view("u", "p")])
        #expect(a.itemIndex("recorded") == 0 && b.itemIndex("p") == 1 && b.itemIndex("q") == 2 && a.itemIndex("p") == 1)
        #expect(waitUntil(.seconds(1)) { b.itemIndex("recorded") == 0 && b.eventCount == 1 } != nil)
    }
}
