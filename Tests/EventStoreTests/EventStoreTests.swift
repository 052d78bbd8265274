import Dispatch
import Synchronization
import Testing
@testable import EventStore

private func makeEvent(_ user: String, _ item: String, weight: Float = 1, at time: Double = 1_000, id: String? = nil) -> Event {
    Event(user: user, item: item, type: "view", weight: weight, timestamp: time, id: id)
}

@Suite struct EventStoreTests {
    @Test(arguments: StoreKind.allCases)
    func storesEventsAndAnswersReadsFromMemory(_ kind: StoreKind) throws {
        let fixture = StoreFixture(kind)
        let store = try fixture.open()
        let result = try store.append([
            makeEvent("alice", "book", weight: 1, at: 10),
            makeEvent("bob", "pen", weight: 2, at: 20),
            makeEvent("alice", "pen", weight: 3, at: 30),
            makeEvent("alice", "book", weight: 0.5, at: 5),
        ])
        #expect(result == AppendResult(accepted: 4, duplicates: 0))
        #expect(store.userCount == 2)
        #expect(store.itemCount == 2)
        #expect(store.eventCount == 4)
        #expect(store.userIndex("alice") == 0)
        #expect(store.userIndex("bob") == 1)
        #expect(store.itemIndex("book") == 0)
        #expect(store.itemIndex("pen") == 1)
        #expect(store.userIndex("carol") == nil)
        #expect(store.userID(at: 1) == "bob")
        #expect(store.itemID(at: 0) == "book")
        #expect(store.userID(at: 2) == nil)
        #expect(store.itemID(at: -1) == nil)
        let history = store.history(ofUser: 0)
        #expect(history.items == [0, 1])
        #expect(history.weights == [1.5, 3])
        #expect(store.hasSeen(user: 1, item: 1))
        #expect(!store.hasSeen(user: 1, item: 0))
        #expect(!store.hasSeen(user: 7, item: 0))
        #expect(store.history(ofUser: 9).items.isEmpty)
        store.close()
    }

    @Test(arguments: StoreKind.allCases)
    func keepsDenseIndicesStableAcrossReopen(_ kind: StoreKind) throws {
        let fixture = StoreFixture(kind)
        do {
            let store = try fixture.open()
            _ = try store.append((0..<50).map { makeEvent("user\($0)", "item\($0 % 7)") })
            store.close()
        }
        let store = try fixture.open()
        for user in 0..<50 { #expect(store.userIndex("user\(user)") == Int32(user)) }
        for item in 0..<7 { #expect(store.itemIndex("item\(item)") == Int32(item)) }
        _ = try store.append([makeEvent("newcomer", "new-item")])
        #expect(store.userIndex("newcomer") == 50)
        #expect(store.itemIndex("new-item") == 7)
        store.close()
    }

    @Test(arguments: StoreKind.allCases)
    func countsRepeatedIDsAsDuplicatesWithinABatch(_ kind: StoreKind) throws {
        let fixture = StoreFixture(kind)
        let store = try fixture.open()
        let result = try store.append([
            makeEvent("a", "x", id: "e1"), makeEvent("a", "x", id: "e1"), makeEvent("a", "y", id: "e2"), makeEvent("a", "y"),
        ])
        #expect(result == AppendResult(accepted: 3, duplicates: 1))
        #expect(store.history(ofUser: 0).weights == [1, 2])
        store.close()
    }

    @Test(arguments: StoreKind.allCases)
    func countsRepeatedIDsAsDuplicatesAcrossBatchesAndReopen(_ kind: StoreKind) throws {
        let fixture = StoreFixture(kind)
        do {
            let store = try fixture.open()
            #expect(try store.append([makeEvent("a", "x", id: "e1")]) == AppendResult(accepted: 1, duplicates: 0))
            #expect(try store.append([makeEvent("a", "x", id: "e1"), makeEvent("b", "x", id: "e2")]) == AppendResult(accepted: 1, duplicates: 1))
            store.close()
        }
        let store = try fixture.open()
        #expect(try store.appendBulk([makeEvent("a", "x", id: "e2"), makeEvent("a", "x", id: "e1")]) == AppendResult(accepted: 0, duplicates: 2))
        #expect(store.eventCount == 2)
        store.close()
    }

    @Test(arguments: StoreKind.allCases)
    func duplicatesCreateNoUsersOrItemsAndLeaveNoGaps(_ kind: StoreKind) throws {
        let fixture = StoreFixture(kind)
        let store = try fixture.open()
        _ = try store.append([makeEvent("a", "x", id: "e1")])
        let result = try store.append([makeEvent("ghost", "phantom", id: "e1"), makeEvent("b", "y")])
        #expect(result == AppendResult(accepted: 1, duplicates: 1))
        #expect(store.userIndex("ghost") == nil)
        #expect(store.itemIndex("phantom") == nil)
        #expect(store.userIndex("b") == 1)
        #expect(store.itemIndex("y") == 1)
        store.close()
    }

    @Test(arguments: StoreKind.allCases)
    func restoresHistoryAndSeenItemsAfterReopen(_ kind: StoreKind) throws {
        let fixture = StoreFixture(kind)
        var generator = SeededGenerator(seed: 11)
        let events = (0..<2_000).map { _ in
            makeEvent(
                "u\(Int.random(in: 0..<40, using: &generator))", "i\(Int.random(in: 0..<60, using: &generator))",
                weight: Float(Int.random(in: 1...4, using: &generator)), at: Double(Int.random(in: 0..<100_000, using: &generator)))
        }
        let before: InteractionSnapshot
        do {
            let store = try fixture.open()
            _ = try store.append(Array(events[..<700]))
            _ = try store.appendBulk(Array(events[700...]))
            before = store.interactionSnapshot()
            store.close()
        }
        let store = try fixture.open()
        let after = store.interactionSnapshot()
        #expect(after.users == before.users)
        #expect(after.items == before.items)
        #expect(after.weights == before.weights)
        #expect(after.lastSeen == before.lastSeen)
        #expect(after.eventCount == 2_000)
        let user = try #require(store.userIndex("u3"))
        let item = try #require(store.itemIndex("i5"))
        let expected = events.contains { $0.user == "u3" && $0.item == "i5" }
        #expect(store.hasSeen(user: user, item: item) == expected)
        store.close()
    }

    @Test(arguments: StoreKind.allCases)
    func snapshotIsSortedAndAggregated(_ kind: StoreKind) throws {
        let fixture = StoreFixture(kind)
        let store = try fixture.open()
        var generator = SeededGenerator(seed: 3)
        var reference: [String: (weight: Double, lastSeen: Double)] = [:]
        for _ in 0..<20 {
            let batch = (0..<250).map { _ in
                makeEvent(
                    "u\(Int.random(in: 0..<30, using: &generator))", "i\(Int.random(in: 0..<50, using: &generator))",
                    weight: Float(Int.random(in: 1...3, using: &generator)), at: Double(Int.random(in: 0..<1_000, using: &generator)))
            }
            for event in batch {
                let key = event.user + "|" + event.item
                let old = reference[key] ?? (0, 0)
                reference[key] = (old.weight + Double(event.weight), max(old.lastSeen, event.timestamp))
            }
            _ = try store.append(batch)
        }
        let snapshot = store.interactionSnapshot()
        #expect(snapshot.count == reference.count)
        #expect(snapshot.userCount == store.userCount)
        #expect(snapshot.itemCount == store.itemCount)
        #expect(snapshot.eventCount == 5_000)
        for k in 1..<snapshot.count {
            let ordered = (snapshot.users[k - 1], snapshot.items[k - 1]) < (snapshot.users[k], snapshot.items[k])
            #expect(ordered, "entry \(k) out of order")
        }
        for k in 0..<snapshot.count {
            let key = store.userID(at: snapshot.users[k])! + "|" + store.itemID(at: snapshot.items[k])!
            let expected = try #require(reference[key])
            #expect(isClose(Double(snapshot.weights[k]), expected.weight))
            #expect(snapshot.lastSeen[k] == expected.lastSeen)
        }
        store.close()
    }

    @Test(arguments: StoreKind.allCases)
    func concurrentAppendsWithOverlappingIDsGiveExactTotals(_ kind: StoreKind) throws {
        let fixture = StoreFixture(kind)
        let store = try fixture.open()
        let threads = 8
        let requestsPerThread = 40
        let eventsPerRequest = 25
        // Atomics rather than `Mutex`: ThreadSanitizer cannot see Mutex's futex on Linux and would report races.
        let accepted = Atomic<Int>(0)
        let duplicates = Atomic<Int>(0)
        let failures = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: threads) { thread in
            for request in 0..<requestsPerThread {
                // Ids repeat across threads: thread t and t+1 share half their ids.
                let events = (0..<eventsPerRequest).map { k in
                    let id = (thread / 2) * 10_000 + request * eventsPerRequest + k
                    return makeEvent("u\(id % 97)", "i\(id % 89)", id: "e\(id)")
                }
                do {
                    let result = try store.append(events)
                    accepted.add(result.accepted, ordering: .relaxed)
                    duplicates.add(result.duplicates, ordering: .relaxed)
                } catch {
                    failures.add(1, ordering: .relaxed)
                }
            }
        }
        let unique = (threads / 2) * requestsPerThread * eventsPerRequest
        let all = threads * requestsPerThread * eventsPerRequest
        #expect(failures.load(ordering: .relaxed) == 0)
        #expect(accepted.load(ordering: .relaxed) == unique)
        #expect(duplicates.load(ordering: .relaxed) == all - unique)
        #expect(store.eventCount == unique)
        #expect(store.interactionSnapshot().weights.reduce(0, +) == Float(unique))
        store.close()
    }

    @Test func groupCommitPutsQueuedRequestsInOneTransaction() throws {
        let directory = TemporaryDirectory()
        let store = try SQLiteEventStore(path: directory.file("events.sqlite"))
        let done = DispatchSemaphore(value: 0)
        let expectedResults = Atomic<Int>(0)
        // Requests made inside a completion run on the writer queue, so all 100 are pending when the next
        // transaction starts: the writer must take them together.
        store.append([makeEvent("first", "x")]) { _ in
            for request in 0..<100 {
                store.append([makeEvent("u\(request)", "x"), makeEvent("u\(request)", "y")]) { result in
                    if (try? result.get()) == AppendResult(accepted: 2, duplicates: 0) {
                        expectedResults.add(1, ordering: .relaxed)
                    }
                    done.signal()
                }
            }
        }
        for _ in 0..<100 { done.wait() }
        #expect(store.committedTransactionCount == 2)
        #expect(expectedResults.load(ordering: .relaxed) == 100)
        #expect(store.eventCount == 201)
        store.close()
    }

    @Test func splitsGroupCommitsAtTheTransactionLimit() throws {
        let directory = TemporaryDirectory()
        let store = try SQLiteEventStore(configuration: .init(path: directory.file("events.sqlite"), maxEventsPerTransaction: 10))
        let done = DispatchSemaphore(value: 0)
        store.append([makeEvent("first", "x")]) { _ in
            for request in 0..<6 {
                store.append((0..<4).map { makeEvent("u\(request)", "i\($0)") }) { _ in done.signal() }
            }
        }
        for _ in 0..<6 { done.wait() }
        // 6 requests of 4 events with at most 10 events per transaction: 2 + 2 + 2 requests.
        #expect(store.committedTransactionCount == 4)
        #expect(store.eventCount == 25)
        store.close()
    }

    @Test func closeFinishesPendingWrites() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("events.sqlite")
        let store = try SQLiteEventStore(path: path)
        let succeeded = Atomic<Int>(0)
        for request in 0..<50 {
            store.append([makeEvent("u\(request)", "x")]) { result in
                if case .success = result { succeeded.add(1, ordering: .relaxed) }
            }
        }
        store.close()
        #expect(succeeded.load(ordering: .relaxed) == 50)
        #expect(throws: EventStoreError.closed) { try store.append([makeEvent("late", "x")]) }
        #expect(throws: EventStoreError.closed) { try store.appendBulk([makeEvent("late", "x")]) }
        #expect(throws: EventStoreError.closed) { try store.backup(to: directory.file("copy.sqlite")) }
        #expect(store.eventCount == 50)
        store.close()
        let reopened = try SQLiteEventStore(path: path)
        #expect(reopened.eventCount == 50)
        reopened.close()
    }

    @Test func reopeningInManyChunksRebuildsTheSameIndexAsInOne() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("events.sqlite")
        let store = try SQLiteEventStore(path: path)
        // 5,000 events of 40 users over 30 items with repeats, in batches whose users interleave.
        for batch in 0..<10 {
            _ = try store.append((0..<500).map { event in
                let n = batch * 500 + event
                return makeEvent("u\(n * 7 % 40)", "i\(n * 11 % 30)", weight: Float(n % 3) + 0.5, at: Double(n))
            })
        }
        store.close()
        var chunked = SQLiteEventStore.Configuration(path: path)
        chunked.loadChunkSize = 64
        let small = try SQLiteEventStore(configuration: chunked)
        defer { small.close() }
        let whole = try SQLiteEventStore(configuration: SQLiteEventStore.Configuration(path: path, readOnly: true))
        defer { whole.close() }
        #expect(small.eventCount == 5_000 && whole.eventCount == 5_000)
        for user in 0..<40 {
            let index = try #require(small.userIndex("u\(user)"))
            #expect(whole.userIndex("u\(user)") == index)
            let (a, b) = (small.timedHistory(ofUser: index), whole.timedHistory(ofUser: index))
            #expect(a.items == b.items && a.weights == b.weights && a.lastSeen == b.lastSeen)
        }
        #expect(small.liveItemWeights() == whole.liveItemWeights())
    }

    @Test(arguments: StoreKind.allCases)
    func acceptsEmptyBatches(_ kind: StoreKind) throws {
        let fixture = StoreFixture(kind)
        let store = try fixture.open()
        #expect(try store.append([]) == AppendResult(accepted: 0, duplicates: 0))
        #expect(try store.appendBulk([]) == AppendResult(accepted: 0, duplicates: 0))
        #expect(store.eventCount == 0)
        store.close()
    }

    @Test func storesEventFieldsInTheDatabase() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("events.sqlite")
        let store = try SQLiteEventStore(path: path)
        _ = try store.append([Event(user: "ü", item: "東京", type: "purchase", weight: 3, timestamp: 1_700_000_000.25, id: "k")])
        store.close()
        let connection = try SQLiteConnection(path: path, readOnly: true)
        let row = try connection.prepare(
            "SELECT u.external, i.external, e.type, e.weight, e.timestamp, e.external_id FROM events e "
                + "JOIN users u ON u.id = e.user JOIN items i ON i.id = e.item")
        #expect(try row.step())
        #expect(row.text(at: 0) == "ü")
        #expect(row.text(at: 1) == "東京")
        #expect(row.text(at: 2) == "purchase")
        #expect(row.double(at: 3) == 3)
        #expect(row.double(at: 4) == 1_700_000_000.25)
        #expect(row.text(at: 5) == "k")
        row.reset()
    }

    @Test func backupProducesAReadableCopy() throws {
        let directory = TemporaryDirectory()
        let store = try SQLiteEventStore(configuration: .init(path: directory.file("events.sqlite"), backupPagesPerStep: 2))
        _ = try store.appendBulk((0..<5_000).map { makeEvent("u\($0 % 300)", "i\($0 % 700)", id: "e\($0)") })
        // Requests made in a completion wait behind the backup on the writer queue, so the backup commits
        // them between its steps; SQLite carries those writes into the copy.
        let done = DispatchSemaphore(value: 0)
        store.append([makeEvent("first", "x")]) { _ in
            for request in 0..<20 {
                store.append([makeEvent("late\(request)", "x")]) { _ in done.signal() }
            }
            done.signal()
        }
        let backupPath = directory.file("copy.sqlite")
        try store.backup(to: backupPath)
        for _ in 0..<21 { done.wait() }
        #expect(store.eventCount == 5_021)
        let copy = try SQLiteEventStore(path: backupPath)
        #expect(copy.eventCount == store.eventCount)
        #expect(copy.userCount == store.userCount)
        #expect(copy.userIndex("u42") == store.userIndex("u42"))
        #expect(copy.interactionSnapshot().items == store.interactionSnapshot().items)
        #expect(try copy.append([makeEvent("u1", "i1", id: "e1")]) == AppendResult(accepted: 0, duplicates: 1))
        copy.close()
        store.close()
    }

    @Test func reopensWithNormalDurability() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("events.sqlite")
        let store = try SQLiteEventStore(configuration: .init(path: path, durability: .normal))
        _ = try store.append([makeEvent("a", "x")])
        store.close()
        let reopened = try SQLiteEventStore(path: path)
        #expect(reopened.eventCount == 1)
        reopened.close()
    }
}

@Suite struct EventStoreExactIDTests {
    @Test(arguments: StoreKind.allCases)
    func keepsCanonicallyEquivalentIDsApart(_ kind: StoreKind) throws {
        let fixture = StoreFixture(kind)
        let precomposed = "caf\u{E9}"
        let decomposed = "cafe\u{301}"
        do {
            let store = try fixture.open()
            defer { store.close() }
            _ = try store.append([makeEvent(precomposed, "x"), makeEvent(decomposed, "y")])
            #expect(store.userCount == 2)
            #expect(store.userIndex(precomposed) != store.userIndex(decomposed))
        }
        let reopened = try fixture.open()
        defer { reopened.close() }
        let first = try #require(reopened.userIndex(precomposed))
        let second = try #require(reopened.userIndex(decomposed))
        #expect(Array(reopened.userID(at: first)!.utf8) == Array(precomposed.utf8))
        #expect(Array(reopened.userID(at: second)!.utf8) == Array(decomposed.utf8))
    }
}
