/// One accepted event, reduced to what the in-memory aggregates need.
struct PendingInteraction {
    var user: Int32
    var item: Int32
    var weight: Float
    var timestamp: Double

    /// Sort key: user, then item.
    var key: UInt64 { UInt64(UInt32(bitPattern: user)) << 32 | UInt64(UInt32(bitPattern: item)) }
}

/// One accepted event of an explicit type: a user's rating of an item.
struct PendingRating {
    var user: Int32
    var item: Int32
    var value: Float
    var timestamp: Double
}

/// What one committed transaction adds to the in-memory index.
struct IndexChanges {
    /// External ids of new users, in dense-index order starting at the index's current user count.
    var newUsers: [String] = []
    /// External ids of new items, likewise.
    var newItems: [String] = []
    /// Accepted events (duplicates excluded).
    var interactions: [PendingInteraction] = []
    /// The accepted events of explicit types, in the order they were stored (a later one wins a timestamp tie).
    var ratings: [PendingRating] = []

    /// Sorts the events by (user, item) and sums repeats into one aggregate per pair.
    /// Returns the aggregates and, per user, the range of them that belongs to that user.
    func aggregated() -> (entries: [Interaction], runs: [(user: Int32, range: Range<Int>)]) {
        var sorted = interactions
        sorted.sort { $0.key < $1.key }
        var entries: [Interaction] = []
        entries.reserveCapacity(sorted.count)
        var runs: [(user: Int32, range: Range<Int>)] = []
        var runStart = 0
        var previousKey: UInt64?
        var previousUser: Int32 = -1
        for pending in sorted {
            let key = pending.key
            if key == previousKey {
                entries[entries.count - 1].weight += pending.weight
                entries[entries.count - 1].lastSeen = max(entries[entries.count - 1].lastSeen, pending.timestamp)
                continue
            }
            if pending.user != previousUser {
                if previousKey != nil { runs.append((previousUser, runStart..<entries.count)) }
                runStart = entries.count
                previousUser = pending.user
            }
            entries.append(Interaction(item: pending.item, weight: pending.weight, lastSeen: pending.timestamp))
            previousKey = key
        }
        if previousKey != nil { runs.append((previousUser, runStart..<entries.count)) }
        return (entries, runs)
    }
}
