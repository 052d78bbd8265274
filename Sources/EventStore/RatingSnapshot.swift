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
}
