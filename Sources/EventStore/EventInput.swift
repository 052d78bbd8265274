/// An event exactly as decoded from a request body or an import file, before validation.
///
/// Every field is optional: the decoder only checks JSON syntax and records which known fields held a JSON
/// type that can never be right (say a number for `user`); `EventValidator` applies the rules.
/// A JSON `null` counts as an absent field.
public struct EventInput: Sendable, Hashable {
    /// A timestamp as given: a JSON number, or text that still has to be parsed.
    public enum Timestamp: Sendable, Hashable {
        /// Unix seconds given as a JSON number.
        case seconds(Double)
        /// A JSON string (or CSV cell): unix seconds in decimal or an RFC 3339 date-time.
        case text(String)
    }

    /// External user id.
    public var user: String?
    /// External item id.
    public var item: String?
    /// Event type.
    public var type: String?
    /// When the event happened.
    public var timestamp: Timestamp?
    /// Explicit weight.
    public var weight: Double?
    /// Value of a rating event.
    public var value: Double?
    /// Idempotency key.
    public var id: String?
    /// Known fields that were present with the wrong JSON type (their value above stays nil).
    public var wrongTypes: Set<EventField>

    /// Creates an input; every field defaults to absent.
    public init(
        user: String? = nil,
        item: String? = nil,
        type: String? = nil,
        timestamp: Timestamp? = nil,
        weight: Double? = nil,
        value: Double? = nil,
        id: String? = nil,
        wrongTypes: Set<EventField> = []
    ) {
        self.user = user
        self.item = item
        self.type = type
        self.timestamp = timestamp
        self.weight = weight
        self.value = value
        self.id = id
        self.wrongTypes = wrongTypes
    }
}
