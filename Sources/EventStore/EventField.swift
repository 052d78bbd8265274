/// A field of an event as it appears in request bodies and import files.
package enum EventField: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// External user id (required string).
    case user
    /// External item id (required string).
    case item
    /// Event type such as `view` or `purchase` (optional string).
    case type
    /// Unix seconds (number or decimal string) or an RFC 3339 string (optional).
    case timestamp
    /// Explicit weight overriding the type's weight (optional number).
    case weight
    /// The value of a `rating` event, used as its weight (optional number).
    case value
    /// Client idempotency key (optional string).
    case id
    /// The `recommendation_id` of the answer the event follows from (optional string).
    case recommendationID = "recommendation_id"

    /// The field's name in JSON and CSV.
    package var description: String { rawValue }

    /// One bit per field, used to find repeated keys in one object without allocating.
    var bit: UInt8 {
        switch self {
        case .user: 1
        case .item: 2
        case .type: 4
        case .timestamp: 8
        case .weight: 16
        case .value: 32
        case .id: 64
        case .recommendationID: 128
        }
    }
}
