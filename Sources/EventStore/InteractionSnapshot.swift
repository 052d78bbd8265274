/// Everything training needs from the store, as flat arrays sorted by user, then item.
///
/// Entry `k` says user `users[k]` interacted with item `items[k]` with summed weight `weights[k]`,
/// most recently at `lastSeen[k]` (unix seconds). Each (user, item) pair appears once.
public struct InteractionSnapshot: Sendable {
    /// Number of users (rows); every index in `users` is below it.
    public let userCount: Int
    /// Number of items (columns); every index in `items` is below it.
    public let itemCount: Int
    /// Number of stored events the aggregates summarise.
    public let eventCount: Int
    /// Dense user index per entry, ascending.
    public let users: [Int32]
    /// Dense item index per entry, ascending within each user.
    public let items: [Int32]
    /// Summed event weight per entry.
    public let weights: [Float]
    /// Latest event time per entry.
    public let lastSeen: [Double]
    /// Each user's history revision when the snapshot was taken (see `EventStore.historyRevision(ofUser:)`),
    /// indexed by user; empty when unknown.
    public let userRevisions: [Int]

    /// Creates a snapshot; the arrays must have equal counts.
    public init(
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
    public var count: Int { users.count }
}
