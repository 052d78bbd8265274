import EventStore

/// A small store with attributed events on three UTC days, for the tests of `evaluate --replay`.
///
/// Before day ``firstDay`` (the day before it): u1 had a; u2 a, b; u3 a, b, c; u4 d — popularity a 3, b 2, c 1, d 1.
/// Day `firstDay`, each event attributed to a remembered list: u1 b (popular list), u4 c (popular), u2 a (mf list; u2
/// had a: a repeat), newbie a (popular; a user without earlier events: cold), u3 fresh (popular; an item without
/// earlier events: cold), u3 d (popular). Day `firstDay + 1`: u1 c (popular), u4 b (mf). Day `firstDay + 3`: u2 d
/// (popular). An unattributed event of `seed` on `firstDay + 5` makes `fresh` known when the lists are remembered.
package enum ReplayStore {
    /// The first day with attributed events (2024-10-04), in days since 1970-01-01.
    package static let firstDay = 20_000

    /// Creates the store at `path` (which must not exist yet) and closes it.
    package static func write(to path: String) throws {
        let store = try SQLiteEventStore(path: path)
        defer { store.close() }
        let start = Double(firstDay) * 86_400
        func at(_ day: Int, hour: Double) -> Double { start + Double(day) * 86_400 + hour * 3_600 }
        var history: [Event] = []
        for (user, items) in [("u1", ["a"]), ("u2", ["a", "b"]), ("u3", ["a", "b", "c"]), ("u4", ["d"])] {
            history += items.map { Event(user: user, item: $0, timestamp: at(-1, hour: 12)) }
        }
        history.append(Event(user: "seed", item: "fresh", timestamp: at(5, hour: 1)))
        _ = try store.append(history)
        let lists: [(id: String, model: String, items: [String])] = [
            ("L1", "popular", ["b", "c", "d"]), ("L2", "popular", ["a", "c", "b"]), ("L3", "mf", ["a", "c"]),
            ("L4", "popular", ["a", "b"]), ("L5", "popular", ["fresh", "d"]), ("L6", "popular", ["c", "d"]),
            ("L7", "mf", ["b"]), ("L8", "popular", ["d"]),
        ]
        store.remember(lists.map { list in
            ServedList(id: list.id, servedAt: start, expiresAt: 4e9, user: nil, model: list.model, version: "v1", items: list.items)
        })
        let clicks: [(user: String, item: String, list: String, time: Double)] = [
            ("u1", "b", "L1", at(0, hour: 1)), ("u4", "c", "L2", at(0, hour: 2)), ("u2", "a", "L3", at(0, hour: 3)),
            ("newbie", "a", "L4", at(0, hour: 4)), ("u3", "fresh", "L5", at(0, hour: 5)), ("u3", "d", "L5", at(0, hour: 6)),
            ("u1", "c", "L6", at(1, hour: 1)), ("u4", "b", "L7", at(1, hour: 2)), ("u2", "d", "L8", at(3, hour: 23.5)),
        ]
        let result = try store.append(clicks.map { click in
            Event(user: click.user, item: click.item, type: "click", timestamp: click.time, recommendationID: click.list)
        })
        precondition(result.attributions.count == clicks.count, "every click of the fixture is attributed")
    }
}
