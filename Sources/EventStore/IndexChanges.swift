/// One accepted event, reduced to what the in-memory aggregates need.
package struct PendingInteraction {
    package var user: Int32
    package var item: Int32
    package var weight: Float
    package var timestamp: Double

    /// Creates an interaction.
    package init(user: Int32, item: Int32, weight: Float, timestamp: Double) {
        self.user = user
        self.item = item
        self.weight = weight
        self.timestamp = timestamp
    }

    /// Sort key: user, then item.
    var key: UInt64 { UInt64(UInt32(bitPattern: user)) << 32 | UInt64(UInt32(bitPattern: item)) }
}

/// One accepted event of an explicit type: a user's rating of an item.
package struct PendingRating {
    package var user: Int32
    package var item: Int32
    package var value: Float
    package var timestamp: Double

    /// Creates a rating.
    package init(user: Int32, item: Int32, value: Float, timestamp: Double) {
        self.user = user
        self.item = item
        self.value = value
        self.timestamp = timestamp
    }
}

/// What one committed transaction adds to the in-memory index.
package struct IndexChanges {
    /// External ids of new users, in dense-index order starting at the index's current user count.
    package var newUsers: [String] = []
    /// External ids of new items, likewise.
    package var newItems: [String] = []
    /// Accepted events (duplicates excluded).
    package var interactions: [PendingInteraction] = []
    /// The accepted events of explicit types, in the order they were stored (a later one wins a timestamp tie).
    package var ratings: [PendingRating] = []

    /// No changes.
    package init() {}

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
