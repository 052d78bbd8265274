/// A validated event, ready to store: every default applied and every rule checked.
package struct Event: Sendable, Hashable {
    /// External user id: non-empty, at most 256 UTF-8 bytes.
    package var user: String
    /// External item id: non-empty, at most 256 UTF-8 bytes.
    package var item: String
    /// Event type, e.g. `view` or `purchase`.
    package var type: String
    /// Interaction strength: finite and greater than zero.
    package var weight: Float
    /// When it happened, in unix seconds (≥ 0).
    package var timestamp: Double
    /// Client idempotency key; a second event with the same id is a duplicate and is not stored.
    package var id: String?
    /// The `recommendation_id` of the answer this event follows from, if the client echoed one: the event is
    /// attributed to that list when the list is still remembered and holds the event's item.
    package var recommendationID: String?

    /// Creates an event. Use `EventValidator` to build events from untrusted input; this initialiser checks nothing.
    package init(
        user: String, item: String, type: String = "view", weight: Float = 1, timestamp: Double, id: String? = nil,
        recommendationID: String? = nil
    ) {
        self.user = user
        self.item = item
        self.type = type
        self.weight = weight
        self.timestamp = timestamp
        self.id = id
        self.recommendationID = recommendationID
    }
}
