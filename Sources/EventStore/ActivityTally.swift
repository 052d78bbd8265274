/// Events counted by hour of their timestamp and type while a transaction inserts them, for `event_activity`.
///
/// Events of one request mostly share their type and hour, so a run of equal keys is counted without hashing;
/// types are few, so each gets a small number (compared by a check of the last one, then a short scan) and
/// the counts are keyed by integers. The writer keeps one tally and empties it for each transaction, so its
/// storage is allocated once.
package struct ActivityTally {
    private struct Key: Hashable {
        let hour: Int64
        let type: Int
    }

    private var types: [String] = []
    private var totals: [Key: Int] = [:]
    private var run: (key: Key, events: Int)?

    /// An empty tally.
    package init() {}

    /// The hour `timestamp` (unix seconds, ≥ 0) falls in, as `event_activity` and its migration compute it.
    package static func hour(of timestamp: Double) -> Int64 { Int64(timestamp / 3600) }

    package mutating func add(timestamp: Double, type: String) {
        let hour = Self.hour(of: timestamp)
        if let current = run, current.key.hour == hour, types[current.key.type] == type {
            run = (current.key, current.events + 1)
            return
        }
        flush()
        run = (Key(hour: hour, type: number(of: type)), 1)
    }

    /// Calls `body` with every (hour, type) and its count.
    package mutating func forEachCount(_ body: (Int64, String, Int) throws(EventStoreError) -> Void) throws(EventStoreError) {
        flush()
        for (key, events) in totals { try body(key.hour, types[key.type], events) }
    }

    /// Forgets every count, keeping the storage (and the type numbers, unless a flood of types piled them up).
    package mutating func removeAll() {
        totals.removeAll(keepingCapacity: true)
        run = nil
        if types.count > 64 { types.removeAll() }
    }

    private mutating func number(of type: String) -> Int {
        if let known = types.firstIndex(of: type) { return known }
        types.append(type)
        return types.count - 1
    }

    private mutating func flush() {
        if let current = run { totals[current.key, default: 0] += current.events }
        run = nil
    }
}
