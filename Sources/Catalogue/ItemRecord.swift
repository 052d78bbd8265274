/// What the catalogue knows about an item beyond its events (CONTRACT.md "Catalogue"); every field optional.
///
/// Built only through `RecordDecoder`, so a value always satisfies `RecordLimits`. Dates are unix seconds.
package struct ItemRecord: Sendable, Equatable {
    /// Categories in the order given, without repeats.
    package var categories: [String] = []
    /// Labels by name (`[A-Za-z0-9_-]{1,64}`).
    package var labels: [String: LabelValue] = [:]
    /// Free text for the content model.
    package var text: String = ""
    /// Hidden items are in no answer.
    package var hidden = false
    /// Before this time the item is in no answer.
    package var publishedAt: Double?
    /// From this time on the item is in no answer.
    package var expiresAt: Double?

    package init() {}

    /// True when the item may appear in answers at `now`: not hidden, published, not expired.
    package func isVisible(at now: Double) -> Bool {
        !hidden && (publishedAt.map { $0 <= now } ?? true) && (expiresAt.map { now < $0 } ?? true)
    }
}

/// A user's record: labels only.
package struct UserRecord: Sendable, Equatable {
    /// Labels by name, as on items.
    package var labels: [String: LabelValue] = [:]

    package init() {}
}

/// The value of one label.
package enum LabelValue: Sendable, Equatable, Hashable {
    case string(String)
    /// Any JSON number, as float64.
    case number(Double)
    case bool(Bool)
    /// An array of strings; `=` and `IN` match when any element does.
    case strings([String])
}
