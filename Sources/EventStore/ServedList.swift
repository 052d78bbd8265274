/// A ranking answer as it was served, remembered under its `recommendation_id` so that later events echoing the
/// id can be attributed to it.
package struct ServedList: Sendable {
    /// The answer's `recommendation_id`.
    package var id: String
    /// When it was served, in unix seconds.
    package var servedAt: Double
    /// When it stops being remembered (unix seconds): later events that name it are unattributed.
    package var expiresAt: Double
    /// The user it was served to; nil for an item's similar items.
    package var user: String?
    /// The model that ranked it.
    package var model: String
    /// The model set's version.
    package var version: String
    /// The experiment the request was assigned under; empty outside one.
    package var experiment: String
    /// The experiment's variant; empty outside one.
    package var variant: String
    /// The items, best first (position 0 first).
    package var items: [String]
    /// The lists this one stands for: 1, or the sampling step n when only every n-th list is remembered.
    package var weight: Int

    /// Creates a list.
    package init(
        id: String, servedAt: Double, expiresAt: Double, user: String?, model: String, version: String,
        experiment: String = "", variant: String = "", items: [String], weight: Int = 1
    ) {
        self.id = id
        self.servedAt = servedAt
        self.expiresAt = expiresAt
        self.user = user
        self.model = model
        self.version = version
        self.experiment = experiment
        self.variant = variant
        self.items = items
        self.weight = weight
    }
}

/// One stored event attributed to a served list, as `AppendResult` reports it.
package struct Attribution: Sendable, Hashable {
    /// The list's model.
    package var model: String
    /// The list's experiment (empty outside one).
    package var experiment: String
    /// The list's variant (empty outside one).
    package var variant: String
    /// The event's type.
    package var type: String
    /// The item's 0-based position in the list.
    package var position: Int

    /// Creates an attribution.
    package init(model: String, experiment: String, variant: String, type: String, position: Int) {
        self.model = model
        self.experiment = experiment
        self.variant = variant
        self.type = type
        self.position = position
    }
}
