/// What happened to one append request.
package struct AppendResult: Sendable, Hashable {
    /// Events stored by this request.
    package var accepted: Int
    /// Events skipped because their `id` was already stored (earlier, or earlier in the same request).
    package var duplicates: Int
    /// Stored events attributed to a remembered served list (see `Event.recommendationID`).
    package var attributions: [Attribution]
    /// Stored events that named a `recommendation_id` but were not attributed: the list is unknown, expired, or
    /// does not hold the event's item.
    package var unattributed: Int

    /// Creates a result.
    package init(accepted: Int, duplicates: Int, attributions: [Attribution] = [], unattributed: Int = 0) {
        self.accepted = accepted
        self.duplicates = duplicates
        self.attributions = attributions
        self.unattributed = unattributed
    }
}
