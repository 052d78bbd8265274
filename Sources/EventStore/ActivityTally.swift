/// Events counted by hour of their timestamp and type while a transaction inserts them, for `event_activity`.
///
/// Events of one request mostly share their type and hour, so a run of equal keys is counted without hashing; the
/// writer keeps one tally and empties it for each transaction, so its storage is allocated once.
struct ActivityTally {
    struct Key: Hashable {
        let hour: Int64
        let type: String
    }

    private var totals: [Key: Int] = [:]
    private var run: (key: Key, events: Int)?

    /// The hour `timestamp` (unix seconds, ≥ 0) falls in, as `event_activity` and its migration compute it.
    static func hour(of timestamp: Double) -> Int64 { Int64(timestamp / 3600) }

    mutating func add(timestamp: Double, type: String) {
        let hour = Self.hour(of: timestamp)
        if let current = run, current.key.hour == hour, current.key.type == type {
            run = (current.key, current.events + 1)
            return
        }
        flush()
        run = (Key(hour: hour, type: type), 1)
    }

    /// Every (hour, type) with its count.
    mutating func counts() -> [Key: Int] {
        flush()
        return totals
    }

    /// Forgets every count, keeping the storage.
    mutating func removeAll() {
        totals.removeAll(keepingCapacity: true)
        run = nil
    }

    private mutating func flush() {
        if let current = run { totals[current.key, default: 0] += current.events }
        run = nil
    }
}
