/// Everything training needs from the store, as flat arrays sorted by user, then item.
///
/// Entry `k` says user `users[k]` interacted with item `items[k]` with summed weight `weights[k]`,
/// most recently at `lastSeen[k]` (unix seconds). Each (user, item) pair appears once.
package struct InteractionSnapshot: Sendable {
    /// Number of users (rows); every index in `users` is below it.
    package let userCount: Int
    /// Number of items (columns); every index in `items` is below it.
    package let itemCount: Int
    /// Number of stored events the aggregates summarise.
    package let eventCount: Int
    /// Dense user index per entry, ascending.
    package let users: [Int32]
    /// Dense item index per entry, ascending within each user.
    package let items: [Int32]
    /// Summed event weight per entry.
    package let weights: [Float]
    /// Latest event time per entry.
    package let lastSeen: [Double]
    /// Each user's history revision when the snapshot was taken (see `EventStore.historyRevision(ofUser:)`),
    /// indexed by user; empty when unknown.
    package let userRevisions: [Int]

    /// Creates a snapshot; the arrays must have equal counts.
    package init(
        userCount: Int, itemCount: Int, eventCount: Int,
        users: [Int32], items: [Int32], weights: [Float], lastSeen: [Double], userRevisions: [Int] = []
    ) {
        precondition(
            users.count == items.count && items.count == weights.count && weights.count == lastSeen.count,
            "snapshot arrays must have equal counts")
        self.userCount = userCount
        self.itemCount = itemCount
        self.eventCount = eventCount
        self.users = users
        self.items = items
        self.weights = weights
        self.lastSeen = lastSeen
        self.userRevisions = userRevisions
    }

    /// Number of (user, item) pairs.
    package var count: Int { users.count }
}
