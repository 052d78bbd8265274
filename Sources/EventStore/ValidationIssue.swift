import EventFormats

/// One broken rule in one event of a batch.
package struct ValidationIssue: Sendable, Hashable, CustomStringConvertible {
    /// The rule that was broken.
    package enum Reason: Sendable, Hashable {
        /// A required field is absent (or `null`).
        case missing
        /// The field held a JSON value of the wrong type; `expected` names the right one.
        case wrongType(expected: String)
        /// The string is empty.
        case empty
        /// The string is longer than `limit` UTF-8 bytes.
        case tooLong(limit: Int)
        /// The type holds a NUL character.
        case containsNUL
        /// The id holds a control character (C0, DEL or C1), NUL included.
        case controlCharacter
        /// The id consists only of whitespace, format and default-ignorable characters.
        case invisible
        /// The type is not configured and the event gives no explicit weight.
        case unknownType(String)
        /// The number is NaN or infinite, or too large for a 32-bit float.
        case notFinite
        /// The weight is zero or negative.
        case notPositive
        /// The weight is above the configured maximum.
        case aboveMaximum(Double)
        /// The timestamp text is neither unix seconds nor RFC 3339.
        case unparseableTimestamp
        /// The timestamp is before ``earliestTimestamp`` (0000-01-01T00:00:00+23:59).
        case tooEarly
        /// The timestamp is later than the allowed clock skew into the future.
        case inFuture(limit: Double)
    }

    /// Position of the event in the batch (0-based).
    package var index: Int
    /// The field that broke the rule.
    package var field: EventField
    /// The rule that was broken.
    package var reason: Reason

    /// Creates an issue.
    package init(index: Int, field: EventField, reason: Reason) {
        self.index = index
        self.field = field
        self.reason = reason
    }

    /// A human-readable message about the field, e.g. `is required`.
    package var message: String {
        switch reason {
        case .missing: "is required"
        case .wrongType(let expected): "must be \(expected)"
        case .empty: "must not be empty"
        case .tooLong(let limit): "must be at most \(limit) bytes"
        case .containsNUL: "must not contain a NUL character"
        case .controlCharacter: IdentifierRule.message(.controlCharacter)
        case .invisible: IdentifierRule.message(.invisible)
        case .unknownType(let type): "unknown event type \"\(type)\" (give a weight or configure the type)"
        case .notFinite: "must be a finite number within float32 range"
        case .notPositive: "must be greater than zero (at least 1.4e-45, float32's smallest positive number)"
        case .aboveMaximum(let maximum): "must be at most \(maximum) (the configured max_weight)"
        case .unparseableTimestamp: "must be unix seconds or an RFC 3339 date-time"
        case .tooEarly: "must not be before 0000-01-01T00:00:00+23:59 (unix seconds \(Int(earliestTimestamp))), the earliest RFC 3339 time"
        case .inFuture(let limit): "must not be more than \(Int(limit)) seconds in the future"
        }
    }

    /// `events[3].user: is required`.
    package var description: String { "events[\(index)].\(field): \(message)" }
}
