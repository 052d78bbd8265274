/// Lists served in a window and the events attributed to them, per (experiment, variant, model), with the
/// events that named a list but could not be attributed; from `EventStore.onlineCounts(servedFrom:to:)`.
package struct OnlineCounts: Sendable, Equatable {
    /// The lists of one (experiment, variant, model): outside experiments `experiment` and `variant` are empty.
    package struct Group: Sendable, Equatable {
        /// The experiment (empty outside one).
        package var experiment: String
        /// The variant (empty outside one).
        package var variant: String
        /// The model that ranked the lists.
        package var model: String
        /// Lists remembered (the denominator of CTR).
        package var lists: Int
        /// Lists served, estimated: each remembered list counts its sampling step.
        package var servedLists: Int
        /// Remembered lists with at least one attributed event.
        package var attributedLists: Int
        /// Remembered lists with at least one attributed event of a conversion type.
        package var convertedLists: Int
        /// Attributed events by type.
        package var events: [String: Int]
        /// Attributed events by 0-based position in the list.
        package var positions: [Int]

        /// Creates a group.
        package init(
            experiment: String, variant: String, model: String, lists: Int = 0, servedLists: Int = 0, attributedLists: Int = 0,
            convertedLists: Int = 0, events: [String: Int] = [:], positions: [Int] = []
        ) {
            self.experiment = experiment
            self.variant = variant
            self.model = model
            self.lists = lists
            self.servedLists = servedLists
            self.attributedLists = attributedLists
            self.convertedLists = convertedLists
            self.events = events
            self.positions = positions
        }
    }

    /// The groups, by experiment, variant and model.
    package var groups: [Group]
    /// Events (by type) that named a `recommendation_id` in the window but were not attributed.
    package var unattributed: [String: Int]

    /// Creates counts.
    package init(groups: [Group] = [], unattributed: [String: Int] = [:]) {
        self.groups = groups
        self.unattributed = unattributed
    }

    /// The minute a time (unix seconds, ≥ 0) falls in, as the online tables count it.
    package static func minute(of time: Double) -> Int64 { Int64((time / 60).rounded(.down)) }
}

/// One hour of an experiment's variant: lists served in it and those of them attributed or converted so far.
package struct ExperimentHour: Sendable, Equatable {
    /// Unix seconds / 3600, truncated.
    package var hour: Int64
    /// The variant.
    package var variant: String
    /// Lists remembered.
    package var lists: Int
    /// Lists with an attributed event.
    package var attributedLists: Int
    /// Lists with an attributed conversion.
    package var convertedLists: Int

    /// Creates an hour.
    package init(hour: Int64, variant: String, lists: Int, attributedLists: Int, convertedLists: Int) {
        self.hour = hour
        self.variant = variant
        self.lists = lists
        self.attributedLists = attributedLists
        self.convertedLists = convertedLists
    }
}

/// A stored event that was attributed to a served list, for replaying what was served against a candidate.
package struct AttributedEvent: Sendable, Equatable {
    /// The event's user.
    package var user: String
    /// The event's item.
    package var item: String
    /// The event's type.
    package var type: String
    /// When the event happened (unix seconds).
    package var timestamp: Double
    /// When its list was served (unix seconds).
    package var servedAt: Double
    /// The list's model.
    package var model: String
    /// The list's experiment and variant (empty outside one).
    package var experiment: String
    /// The list's variant.
    package var variant: String
    /// The item's 0-based position in the list.
    package var position: Int

    /// Creates an attributed event.
    package init(
        user: String, item: String, type: String, timestamp: Double, servedAt: Double, model: String, experiment: String,
        variant: String, position: Int
    ) {
        self.user = user
        self.item = item
        self.type = type
        self.timestamp = timestamp
        self.servedAt = servedAt
        self.model = model
        self.experiment = experiment
        self.variant = variant
        self.position = position
    }
}

/// An experiment stopped with a winner.
package struct ExperimentOutcome: Sendable, Equatable {
    /// The experiment's name.
    package var name: String
    /// The winning variant.
    package var winner: String
    /// When it was stopped (unix seconds).
    package var stoppedAt: Double

    /// Creates an outcome.
    package init(name: String, winner: String, stoppedAt: Double) {
        self.name = name
        self.winner = winner
        self.stoppedAt = stoppedAt
    }
}
