/// An ordering comparison a filter asks ``FilterColumns`` about: `field ordering value`.
///
/// Numbers order numerically, strings by their UTF-8 bytes (not `String`'s `<`, which orders by Unicode
/// canonical equivalence); booleans, arrays and values of another type than the field's never order.
package enum FilterOrdering: Sendable, Hashable {
    /// The field is less than the value.
    case less
    /// The field is less than or equal to the value.
    case lessOrEqual
    /// The field is greater than the value.
    case greater
    /// The field is greater than or equal to the value.
    case greaterOrEqual
}
