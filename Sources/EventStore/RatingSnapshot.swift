/// The latest explicit rating of each (user, item) pair, as flat arrays sorted by user, then item.
///
/// Entry `k`: user `users[k]` last rated item `items[k]` with `values[k]` (the value of their newest event of an
/// explicit type; ties in time go to the event stored last).
package struct RatingSnapshot: Sendable, Equatable {
    /// Dense user index per entry, ascending.
    package let users: [Int32]
    /// Dense item index per entry, ascending within each user.
    package let items: [Int32]
    /// The rating per entry.
    package let values: [Float]

    /// Creates a snapshot; the arrays must have equal counts.
    package init(users: [Int32], items: [Int32], values: [Float]) {
        precondition(users.count == items.count && items.count == values.count, "snapshot arrays must have equal counts")
        self.users = users
        self.items = items
        self.values = values
    }

    /// Number of rated pairs.
    package var count: Int { values.count }

    /// One user's latest ratings as `InteractionIndex` keeps them in memory (for exactly the explicit types).
    package init(user: Int32, _ ratings: (items: [Int32], values: [Float])) {
        self.init(users: [Int32](repeating: user, count: ratings.items.count), items: ratings.items, values: ratings.values)
    }

    /// The types a store's query names: each once, sorted, at most `limit`.
    package static func queryTypes(_ types: [String], limit: Int) -> ArraySlice<String> {
        Array(Set(types)).sorted().prefix(limit)
    }

    /// Builds a snapshot from rating rows ordered by user, item and then age (oldest first): the last row of a
    /// pair stands.
    package struct Builder {
        private var users: [Int32] = [], items: [Int32] = [], values: [Float] = []

        /// An empty builder.
        package init() {}

        /// Adds the next row.
        package mutating func add(user: Int32, item: Int32, value: Float) {
            if users.last == user, items.last == item {
                values[values.count - 1] = value
                return
            }
            users.append(user)
            items.append(item)
            values.append(value)
        }

        /// The snapshot of the rows added.
        package var snapshot: RatingSnapshot { RatingSnapshot(users: users, items: items, values: values) }
    }
}
