import Dispatch
import Foundation
import Locking
import Testing
@testable import EventStore

/// The `EventStore` contract, run against every implementation (`StoreKind.allCases`: SQLite, and PostgreSQL
/// when the test cluster is given).
struct EventStoreContractTests {

    private static func event(_ user: String, _ item: String, weight: Float = 1, at time: Double = 1_700_000_000,
                              id: String? = nil) -> Event {
        Event(user: user, item: item, weight: weight, timestamp: time, id: id)
    }

    @Test(arguments: StoreKind.allCases)
    func acknowledgesWhatItStoresAndStoresARepeatedIDOnce(_ kind: StoreKind) throws {
        let fixture = StoreFixture(kind)
        let store = try fixture.open()
        defer { store.close() }
        let first = try store.append([Self.event("a", "x", id: "e1"), Self.event("a", "y", id: "e2"), Self.event("b", "x")])
        #expect(first == AppendResult(accepted: 3, duplicates: 0))
        let again = try store.append([Self.event("a", "x", id: "e1"), Self.event("c", "z", id: "e3"), Self.event("c", "z", id: "e3")])
        #expect(again == AppendResult(accepted: 1, duplicates: 2))
        #expect(store.eventCount == 4)
        #expect(try store.appendBulk([Self.event("d", "x", id: "e2"), Self.event("d", "w")]) == AppendResult(accepted: 1, duplicates: 1))
        #expect(store.eventCount == 5)
    }

    @Test(arguments: StoreKind.allCases)
    func idsAreDenseInOrderOfFirstAppearanceAndClaimedOnlyByStoredEvents(_ kind: StoreKind) throws {
        let fixture = StoreFixture(kind)
        let store = try fixture.open()
        defer { store.close() }
        _ = try store.append([Self.event("u1", "i1"), Self.event("u2", "i1"), Self.event("u1", "i2")])
        #expect(store.userIndex("u1") == 0 && store.userIndex("u2") == 1 && store.itemIndex("i2") == 1)
        #expect(store.userID(at: 1) == "u2" && store.itemID(at: 0) == "i1" && store.itemID(at: 7) == nil)
        _ = try store.append([Self.event("u9", "i9", id: "dup"), Self.event("u8", "i8", id: "dup")])
        #expect(store.userIndex("u8") == nil, "a duplicate claims no id")
        #expect(store.userCount == 3 && store.itemCount == 3)
    }

    @Test(arguments: StoreKind.allCases)
    func historiesSumWeightsAndTheirRevisionMovesWithEveryCommit(_ kind: StoreKind) throws {
        let fixture = StoreFixture(kind)
        let store = try fixture.open()
        defer { store.close() }
        _ = try store.append([Self.event("u", "b", weight: 2), Self.event("u", "a"), Self.event("u", "b", weight: 3)])
        let user = try #require(store.userIndex("u"))
        let history = store.history(ofUser: user)
        #expect(history.items == [0, 1] && history.weights == [5, 1], "sorted by item index, repeats summed")
        let revision = store.historyRevision(ofUser: user)
        #expect(store.hasSeen(user: user, item: 1) && !store.hasSeen(user: user, item: 5))
        _ = try store.append([Self.event("u", "c")])
        #expect(store.historyRevision(ofUser: user) != revision)
        #expect(store.history(ofUser: user).items.count == 3)
        #expect(store.history(ofUser: 99).items.isEmpty && store.historyRevision(ofUser: 99) == 0)
    }

    @Test(arguments: StoreKind.allCases)
    func snapshotHoldsEveryPairSortedAndStaysAsTakenWhileCommitsGoOn(_ kind: StoreKind) throws {
        let fixture = StoreFixture(kind)
        let store = try fixture.open()
        defer { store.close() }
        _ = try store.append([Self.event("u2", "x", at: 5), Self.event("u1", "y", weight: 2), Self.event("u1", "x", at: 9),
                              Self.event("u1", "x", at: 7)])
        let snapshot = store.interactionSnapshot()
        _ = try store.append([Self.event("u1", "z"), Self.event("u3", "x")])
        #expect(snapshot.eventCount == 4 && snapshot.userCount == 2 && snapshot.itemCount == 2)
        #expect(snapshot.users == [0, 1, 1] && snapshot.items == [0, 0, 1], "u2 and x came first")
        #expect(snapshot.weights == [1, 2, 2] && snapshot.lastSeen == [5, 9, 1_700_000_000])
        #expect(store.interactionSnapshot().count == 5)
    }

    @Test(arguments: StoreKind.allCases)
    func commitObserversHearOfACommitOnceItIsVisible(_ kind: StoreKind) throws {
        let fixture = StoreFixture(kind)
        let store = try fixture.open()
        defer { store.close() }
        let heard = Lock<[(events: Int, visible: Bool)]>([])
        store.observeCommits { [store] commit in
            heard.withLock { $0.append((commit.events, store.userIndex("seen-by-observer") != nil)) }
        }
        _ = try store.append([Self.event("seen-by-observer", "x"), Self.event("v", "y")])
        let commits = heard.withLock { $0 }
        #expect(commits.count == 1 && commits[0].events == 2 && commits[0].visible)
    }

    @Test(arguments: StoreKind.allCases)
    func liveItemWeightsSumEveryStoredEvent(_ kind: StoreKind) throws {
        let fixture = StoreFixture(kind)
        let store = try fixture.open()
        defer { store.close() }
        _ = try store.append([Self.event("a", "x", weight: 2), Self.event("b", "x"), Self.event("b", "y", weight: 4, id: "once")])
        _ = try store.append([Self.event("c", "y", weight: 4, id: "once")])
        #expect(store.liveItemWeights() == [3, 4])
    }

    @Test(arguments: StoreKind.allCases)
    func closedStoreRefusesAppendsAndKeepsAnswering(_ kind: StoreKind) throws {
        let fixture = StoreFixture(kind)
        let store = try fixture.open()
        _ = try store.append([Self.event("a", "x")])
        store.close()
        #expect(throws: EventStoreError.closed) { try store.append([Self.event("b", "y")]) }
        #expect(store.eventCount == 1 && store.userIndex("a") == 0)
        store.close()
    }

    @Test(arguments: StoreKind.allCases)
    func exportGivesBackEveryStoredEventInStoredOrder(_ kind: StoreKind) throws {
        let fixture = StoreFixture(kind)
        let store = try fixture.open()
        defer { store.close() }
        let events = [Self.event("a", "x", weight: 2, at: -5, id: "e1"), Self.event("b", "y", at: 3), Self.event("a", "y")]
        _ = try store.append(events)
        var exported: [Event] = []
        try store.exportEvents { exported.append($0) }
        #expect(exported.map(\.user) == ["a", "b", "a"] && exported.map(\.item) == ["x", "y", "y"])
        #expect(exported.map(\.weight) == [2, 1, 1] && exported.map(\.timestamp) == [-5, 3, 1_700_000_000])
        #expect(exported.map(\.id) == ["e1", nil, nil])
    }
}
