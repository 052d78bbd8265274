import LinearAlgebra

/// The columns of a catalogue a filter reads, one leaf test at a time.
///
/// Items are `0..<itemCount`, and every set returned ranges over `itemCount`. An item with no record has no
/// categories and no fields, so it is in none of the sets. Values compare as ``FilterValue`` and
/// ``FilterOrdering`` say: strings exactly (by UTF-8 bytes), numbers numerically, a value of another type than
/// the field's never matches. The evaluator derives `!=`, `IN` and `NOT` from these answers.
package protocol FilterColumns {
    /// How many items there are.
    var itemCount: Int { get }

    /// The items in `category`.
    func items(inCategory category: String) -> BitSet

    /// The items whose record has the label `name` (`EXISTS labels.name`).
    func items(withLabel name: String) -> BitSet

    /// The items whose label `name` equals `value`; for an array label, the items with an element equal to it.
    func items(label name: String, equalTo value: FilterValue) -> BitSet

    /// The items whose label `name` stands in `ordering` to `value`; arrays and booleans never do.
    func items(label name: String, _ ordering: FilterOrdering, _ value: FilterValue) -> BitSet

    /// The items that have a publication time (`EXISTS published_at`).
    func itemsWithPublishedAt() -> BitSet

    /// The items published at exactly `seconds` (unix time).
    func items(publishedAtEqualTo seconds: Double) -> BitSet

    /// The items whose publication time stands in `ordering` to `seconds` (unix time).
    func items(publishedAt ordering: FilterOrdering, _ seconds: Double) -> BitSet
}
