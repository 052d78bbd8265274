/// An event exactly as decoded from a request body or an import file, before validation.
///
/// Every field is optional: the decoder only checks JSON syntax and records which known fields held a JSON
/// type that can never be right (say a number for `user`); `EventValidator` applies the rules.
/// A JSON `null` counts as an absent field.
package struct EventInput: Sendable, Hashable {
    /// A timestamp as given: a JSON number, or text that still has to be parsed.
    package enum Timestamp: Sendable, Hashable {
        /// Unix seconds given as a JSON number.
        case seconds(Double)
        /// A JSON string (or CSV cell): unix seconds in decimal or an RFC 3339 date-time.
        case text(String)
    }

    /// External user id.
    package var user: String?
    /// External item id.
    package var item: String?
    /// Event type.
    package var type: String?
    /// When the event happened.
    package var timestamp: Timestamp?
    /// Explicit weight.
    package var weight: Double?
    /// Value of a rating event.
    package var value: Double?
    /// Idempotency key.
    package var id: String?
    /// The ranking answer this event follows from.
    package var recommendationID: String?
    /// Known fields that were present with the wrong JSON type (their value above stays nil).
    package var wrongTypes: Set<EventField>

    /// Creates an input; every field defaults to absent.
    package init(
        user: String? = nil,
        item: String? = nil,
        type: String? = nil,
        timestamp: Timestamp? = nil,
        weight: Double? = nil,
        value: Double? = nil,
        id: String? = nil,
        recommendationID: String? = nil,
        wrongTypes: Set<EventField> = []
    ) {
        self.user = user
        self.item = item
        self.type = type
        self.timestamp = timestamp
        self.weight = weight
        self.value = value
        self.id = id
        self.recommendationID = recommendationID
        self.wrongTypes = wrongTypes
    }
}
