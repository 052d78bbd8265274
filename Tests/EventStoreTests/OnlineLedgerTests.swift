import Foundation
import Testing
@testable import EventStore

/// Served lists and attribution: an event that echoes a remembered list's id and names one of its items is
/// attributed once (to the list's model, experiment, variant and position), anything else is stored and counted
/// as unattributed, and the counts outlive the lists.
struct OnlineLedgerTests {
    private static let now = EventValidator.currentTime()

    private static func list(
        _ id: String, user: String? = "a", model: String = "als", items: [String] = ["x", "y", "z"], at time: Double = now,
        experiment: String = "", variant: String = "", expiresAt: Double? = nil, weight: Int = 1
    ) -> ServedList {
        ServedList(id: id, servedAt: time, expiresAt: expiresAt ?? time + 3600, user: user, model: model, version: "v1",
                   experiment: experiment, variant: variant, items: items, weight: weight)
    }

    private static func event(
        _ user: String, _ item: String, _ type: String = "click", list: String?, id: String? = nil, at time: Double = now
    ) -> Event {
        Event(user: user, item: item, type: type, timestamp: time, id: id, recommendationID: list)
    }

    /// A store whose items x, y, z exist (served lists name known items).
    private static func store(_ kind: StoreKind, in directory: TemporaryDirectory) throws -> any EventStore {
        let store = try kind.make(in: directory)
        _ = try store.append([Event(user: "seed", item: "x", timestamp: now - 7200), Event(user: "seed", item: "y", timestamp: now - 7200),
                              Event(user: "seed", item: "z", timestamp: now - 7200)])
        return store
    }

    @Test(arguments: StoreKind.allCases)
    func attributesAnEventWhoseItemWasInTheRememberedList(_ kind: StoreKind) throws {
        let directory = TemporaryDirectory()
        let store = try Self.store(kind, in: directory)
        defer { store.close() }
        store.remember([Self.list("L1")])
        let result = try store.append([Self.event("a", "y", list: "L1")])
        #expect(result.accepted == 1)
        #expect(result.attributions == [Attribution(model: "als", experiment: "", variant: "", type: "click", position: 1)])
        #expect(result.unattributed == 0)
        let counts = try store.onlineCounts(servedFrom: Self.now - 60, to: Self.now + 60)
        #expect(counts.groups == [OnlineCounts.Group(
            experiment: "", variant: "", model: "als", lists: 1, servedLists: 1, attributedLists: 1, convertedLists: 0,
            events: ["click": 1], positions: [0, 1])])
        #expect(counts.unattributed.isEmpty)
    }

    @Test(arguments: StoreKind.allCases)
    func acceptsUnknownExpiredAndForeignItemEventsAsUnattributed(_ kind: StoreKind) throws {
        let directory = TemporaryDirectory()
        let store = try Self.store(kind, in: directory)
        defer { store.close() }
        store.remember([Self.list("L1"), Self.list("OLD", expiresAt: Self.now - 1)])
        let result = try store.append([
            Self.event("a", "x", list: "NOPE"), Self.event("a", "x", list: "OLD"), Self.event("a", "w", "view", list: "L1"),
        ])
        #expect(result == AppendResult(accepted: 3, duplicates: 0, attributions: [], unattributed: 3))
        #expect(store.eventCount == 6)
        let counts = try store.onlineCounts(servedFrom: Self.now - 60, to: Self.now + 60)
        #expect(counts.unattributed == ["click": 2, "view": 1])
        #expect(counts.groups.map(\.attributedLists) == [0])
        #expect(counts.groups.map(\.lists) == [2])
    }

    @Test(arguments: StoreKind.allCases)
    func attributesAnEventIDOnceAndCountsAListOnce(_ kind: StoreKind) throws {
        let directory = TemporaryDirectory()
        let store = try Self.store(kind, in: directory)
        defer { store.close() }
        store.remember([Self.list("L1"), Self.list("L1")])
        _ = try store.append([Self.event("a", "x", list: "L1", id: "e1")])
        let again = try store.append([Self.event("a", "x", list: "L1", id: "e1"), Self.event("a", "z", "purchase", list: "L1")])
        #expect(again.duplicates == 1)
        #expect(again.attributions.map(\.position) == [2])
        let group = try #require(try store.onlineCounts(servedFrom: Self.now - 60, to: Self.now + 60).groups.first)
        #expect(group.lists == 1, "a list flushed twice is remembered once")
        #expect(group.attributedLists == 1)
        #expect(group.convertedLists == 1)
        #expect(group.events == ["click": 1, "purchase": 1])
        #expect(group.positions == [1, 0, 1])
    }

    @Test(arguments: StoreKind.allCases)
    func countsByExperimentVariantAndServingMinute(_ kind: StoreKind) throws {
        let directory = TemporaryDirectory()
        let store = try Self.store(kind, in: directory)
        defer { store.close() }
        let hourAgo = Self.now - 3600
        store.remember([
            Self.list("A1", model: "popular", at: hourAgo, experiment: "home", variant: "control", expiresAt: Self.now + 3600),
            Self.list("A2", model: "popular", experiment: "home", variant: "control", weight: 3),
            Self.list("B1", experiment: "home", variant: "personal"),
        ])
        _ = try store.append([Self.event("a", "x", list: "A1"), Self.event("a", "x", list: "B1")])
        let recent = try store.onlineCounts(servedFrom: Self.now - 600, to: Self.now + 60)
        #expect(recent.groups.map { [$0.variant, String($0.lists), String($0.servedLists), String($0.attributedLists)] }
            == [["control", "1", "3", "0"], ["personal", "1", "1", "1"]])
        let hours = try store.experimentHours("home", servedFrom: hourAgo - 1, to: Self.now + 60)
        #expect(hours.map(\.lists).reduce(0, +) == 3)
        #expect(hours.map(\.attributedLists).reduce(0, +) == 2)
        #expect(hours.first?.hour == Int64(hourAgo / 3600))
        let attributed = try store.attributedEvents(since: 0)
        #expect(attributed.map(\.variant).sorted() == ["control", "personal"])
        #expect(attributed.first { $0.variant == "control" }?.servedAt == hourAgo)
    }

    @Test(arguments: StoreKind.allCases)
    func forgetsExpiredListsButKeepsTheirCounts(_ kind: StoreKind) throws {
        let directory = TemporaryDirectory()
        let store = try Self.store(kind, in: directory)
        defer { store.close() }
        // L1's retention is measured from the clock now, not from the suite's `now`, which may be seconds old.
        let expiry = EventValidator.currentTime() + 30
        store.remember([Self.list("L1", expiresAt: expiry), Self.list("L2", expiresAt: expiry + 3600)])
        _ = try store.append([Self.event("a", "x", list: "L1")])
        #expect(try store.forgetServedLists(before: expiry + 1) == 1)
        let late = try store.append([Self.event("a", "y", list: "L1"), Self.event("a", "y", list: "L2")])
        #expect(late.unattributed == 1)
        #expect(late.attributions.count == 1)
        let group = try #require(try store.onlineCounts(servedFrom: Self.now - 60, to: Self.now + 60).groups.first)
        #expect(group.lists == 2)
        #expect(group.attributedLists == 2)
    }

    @Test(arguments: StoreKind.allCases)
    func erasureTakesTheUsersListsAndAttributions(_ kind: StoreKind) throws {
        let directory = TemporaryDirectory()
        let store = try Self.store(kind, in: directory)
        store.remember([Self.list("L1", user: "a"), Self.list("L2", user: "ghost"), Self.list("L3", user: "b")])
        _ = try store.append([Self.event("a", "x", list: "L1"), Self.event("b", "x", list: "L3")])
        #expect(try store.eraseUser("a") == 1)
        #expect(try store.eraseUser("ghost") == nil, "a user with lists but no events is unknown, and their lists go too")
        #expect(try store.attributedEvents(since: 0).map(\.user) == ["b"])
        // An event naming an erased user's list is no longer attributed.
        #expect(try store.append([Self.event("c", "y", list: "L1")]).unattributed == 1)
        store.close()
        if kind == .sqlite {
            let file = try String(decoding: Data(contentsOf: URL(fileURLWithPath: directory.file("events.sqlite"))), as: UTF8.self)
            #expect(!file.contains("ghost"))
        }
    }

    @Test(arguments: StoreKind.allCases)
    func keepsExperimentOutcomes(_ kind: StoreKind) throws {
        let directory = TemporaryDirectory()
        do {
            let store = try kind.make(in: directory)
            try store.recordExperimentOutcome(ExperimentOutcome(name: "home", winner: "control", stoppedAt: 5))
            try store.recordExperimentOutcome(ExperimentOutcome(name: "home", winner: "personal", stoppedAt: 9))
            store.close()
        }
        let reopened = try kind.make(in: directory)
        defer { reopened.close() }
        #expect(try reopened.experimentOutcomes() == [ExperimentOutcome(name: "home", winner: "personal", stoppedAt: 9)])
    }
}
