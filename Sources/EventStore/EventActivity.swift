/// Stored events by hour of their timestamp and by type, as the dashboard's overview shows them.
package struct EventActivity: Sendable {
    /// The hours asked for (unix seconds / 3600, truncated).
    package let hours: ClosedRange<Int64>
    /// Events per hour of `hours`, in order, zero where there were none.
    package let hourly: [Int]
    /// Every event type with its stored events, most first (all time).
    package let types: [(type: String, events: Int)]
    /// The latest hour holding an event, nil for an empty store.
    package let latestHour: Int64?

    package init(hours: ClosedRange<Int64>, hourly: [Int], types: [(type: String, events: Int)], latestHour: Int64?) {
        self.hours = hours
        self.hourly = hourly
        self.types = types
        self.latestHour = latestHour
    }
}

/// One stored event as the store holds it, by item index.
package struct StoredEvent: Sendable, Equatable {
    package let item: Int32
    package let type: String
    package let weight: Float
    /// Unix seconds.
    package let timestamp: Double

    package init(item: Int32, type: String, weight: Float, timestamp: Double) {
        self.item = item
        self.type = type
        self.weight = weight
        self.timestamp = timestamp
    }
}
