/// One (user, item) pair's aggregate: summed weight and latest timestamp.
struct Interaction: Sendable {
    /// Dense item index.
    var item: Int32
    /// Sum of the weights of the user's events on the item.
    var weight: Float
    /// Latest timestamp (unix seconds) of those events.
    var lastSeen: Double
}

/// A user's latest rating of one item: the value of their explicit event with the largest timestamp.
struct Rating {
    var item: Int32
    var value: Float
    var timestamp: Double
}

/// One user's interactions, kept sorted by item so lookups are binary searches and snapshots come out sorted.
struct UserInteractions {
    /// Sorted by `item`, one entry per item.
    private(set) var entries: [Interaction] = []
    /// The latest rating of each item the user rated (events of explicit types), sorted by item; empty for most
    /// users of an implicit store.
    private(set) var ratings: [Rating] = []
    /// Incremented by every merge, so a cached answer for this user can tell that it is stale.
    private(set) var revision = 0

    /// Index of the first entry whose item is not below `item`.
    func lowerBound(_ item: Int32) -> Int {
        var low = 0
        var high = entries.count
        while low < high {
            let middle = (low + high) / 2
            if entries[middle].item < item { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// True when the user has an event on `item`.
    func contains(_ item: Int32) -> Bool {
        let index = lowerBound(item)
        return index < entries.count && entries[index].item == item
    }

    /// Folds in a run of aggregates sorted by item with no repeats; returns how many new pairs it added.
    mutating func merge(_ run: UnsafeBufferPointer<Interaction>) -> Int {
        revision &+= 1
        if entries.isEmpty {
            entries = Array(run)
            return run.count
        }
        if run.count <= 8 {
            var added = 0
            for interaction in run where insert(interaction) { added += 1 }
            return added
        }
        var merged: [Interaction] = []
        merged.reserveCapacity(entries.count + run.count)
        var old = 0
        var new = 0
        var added = 0
        while old < entries.count, new < run.count {
            let existing = entries[old]
            let incoming = run[new]
            if existing.item < incoming.item {
                merged.append(existing)
                old += 1
            } else if incoming.item < existing.item {
                merged.append(incoming)
                new += 1
                added += 1
            } else {
                merged.append(Self.combine(existing, incoming))
                old += 1
                new += 1
            }
        }
        merged.append(contentsOf: entries[old...])
        merged.append(contentsOf: run[new...])
        added += run.count - new
        entries = merged
        return added
    }

    /// Keeps `rating` unless the user has a later rating of the same item; of equal timestamps the one rated last
    /// (called last) wins, as the store's `ORDER BY timestamp, seq` has it. Its event's `merge` bumps the revision.
    mutating func rate(_ rating: Rating) {
        var low = 0, high = ratings.count
        while low < high {
            let middle = (low + high) / 2
            if ratings[middle].item < rating.item { low = middle + 1 } else { high = middle }
        }
        if low < ratings.count, ratings[low].item == rating.item {
            if rating.timestamp >= ratings[low].timestamp { ratings[low] = rating }
        } else {
            ratings.insert(rating, at: low)
        }
    }

    /// Empties the history and ratings and returns the history.
    mutating func removeAll() -> [Interaction] {
        revision &+= 1
        ratings = []
        defer { entries = [] }
        return entries
    }

    /// Removes the entry and rating of `item`; returns true when there was an entry.
    mutating func remove(_ item: Int32) -> Bool {
        ratings.removeAll { $0.item == item }
        let index = lowerBound(item)
        guard index < entries.count, entries[index].item == item else { return false }
        revision &+= 1
        entries.remove(at: index)
        return true
    }

    /// Adds one aggregate; returns true when its item was new for this user.
    private mutating func insert(_ interaction: Interaction) -> Bool {
        let index = lowerBound(interaction.item)
        if index < entries.count, entries[index].item == interaction.item {
            entries[index] = Self.combine(entries[index], interaction)
            return false
        }
        entries.insert(interaction, at: index)
        return true
    }

    private static func combine(_ first: Interaction, _ second: Interaction) -> Interaction {
        Interaction(item: first.item, weight: first.weight + second.weight, lastSeen: max(first.lastSeen, second.lastSeen))
    }
}
