/// One test of a filter, the leaves of a ``FilterExpression``.
///
/// `published_at` values are unix seconds: the parser converts an RFC 3339 string to seconds, so the canonical
/// text of a test written with a date shows the number.
package enum FilterTest: Sendable, Equatable, CustomStringConvertible {
    /// `categories HAS "value"`: the item is in the category.
    case hasCategory(String)
    /// `EXISTS labels.name`: the item's record has the label, whatever its value.
    case labelExists(String)
    /// `labels.name op value`.
    case label(String, FilterComparison, FilterValue)
    /// `labels.name IN (values)`, the same as `= value` for any of the (non-empty) values.
    case labelIn(String, [FilterValue])
    /// `EXISTS published_at`.
    case publishedAtExists
    /// `published_at op seconds`.
    case publishedAt(FilterComparison, Double)
    /// `published_at IN (seconds)`, the same as `= seconds` for any of the (non-empty) values.
    case publishedAtIn([Double])

    /// The test as canonical filter text.
    package var description: String {
        switch self {
        case .hasCategory(let category):
            "categories HAS \(FilterValue.quoted(category))"
        case .labelExists(let name):
            "EXISTS labels.\(name)"
        case let .label(name, comparison, value):
            "labels.\(name) \(comparison) \(value)"
        case let .labelIn(name, values):
            "labels.\(name) IN (\(values.map(\.description).joined(separator: ", ")))"
        case .publishedAtExists:
            "EXISTS published_at"
        case let .publishedAt(comparison, seconds):
            "published_at \(comparison) \(FilterValue.numberText(seconds))"
        case .publishedAtIn(let seconds):
            "published_at IN (\(seconds.map(FilterValue.numberText).joined(separator: ", ")))"
        }
    }
}
